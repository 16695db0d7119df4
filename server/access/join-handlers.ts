/**
 * Entering a party (protocol 1.2): `join_party` with a password or an invite, decided by
 * shared/access/rules.ts; the host's `answer_join` and the joiner's `cancel_join` at the
 * approval door (door.ts: the waiting requests and their pushes).
 */
import {
  decideApproved,
  decideJoin,
  type JoinDecision,
  type JoinFacts,
} from '../../shared/access/rules';
import { ControlPlaneError } from '../../shared/protocol/errors';
import { PeerInfo, type PartyInfo } from '../../shared/model';
import { JoinPolicy, MAX_PEERS_PER_PARTY } from '../../shared/party/settings';
import { joinParty, updatePeer } from '../../shared/party/transitions';
import { PresenceStatus } from '../../shared/presence';
import { ASLEEP_SINCE, ErrorCode, type ServerMessageInput } from '../../shared/protocol/protocol';
import { refusalSentence } from '../../shared/protocol/refusals';
import type { ConnectionContext, HandlerMap, ServerContext } from '../connection/handlers';
import { snapshotFrame, type PartySnapshot } from '../party/snapshots';
import { updateKey } from '../party/update-coalescer';
import { ClosedReason, type PendingJoin } from './approvals';
import {
  askHost,
  closedMessage,
  pushFrame,
  pushWhenTellable,
  tellJoiner,
  withdrawJoin,
} from './door';
import { checkPassword } from './passwords';
import { admitNewPeerId, authorizePeer, claimPeer, requireHostConn } from './identity/peer-auth';

type JoinMessage = Parameters<HandlerMap['join_party']>[0];

const now = (server: ServerContext): Date => new Date(server.clock.now());

function facts(party: PartyInfo, peerId: string, key: string | null, server: ServerContext) {
  return {
    settings: party.settings,
    member: party.peers.has(peerId),
    memberCount: party.peers.size,
    banned: server.access.bans.isBanned(party.partyId, peerId, key),
  };
}

export function refusal(
  code: Exclude<JoinDecision, { kind: 'admit' | 'ask_host' }>['code'],
  hadInvite = true,
) {
  return new ControlPlaneError(refusalSentence(code, hadInvite), { code });
}

/** Adds the peer and answers with the party. */
function admit(party: PartyInfo, peer: PeerInfo, conn: ConnectionContext, server: ServerContext) {
  if (party.peers.has(peer.peerId)) return rejoin(party, peer, conn, server);
  const maxPeers = Math.min(party.settings.maxPeers, MAX_PEERS_PER_PARTY);
  const transition = joinParty(party, peer, now(server), { maxPeers });
  server.service.apply(party.partyId, transition, new Set([peer.peerId]));
  claimPeer(conn, peer.peerId, server);
  // In by an invite or a password while its request waited: the request is over (the host
  // sees it closed, as for a cancel); left, its expiry told a member `join_expired`, and an
  // accept rewrote its profile with the one it asked with.
  withdrawJoin(party.partyId, peer.peerId, server);
  return server.service.answer(transition.party!, server.clock.now());
}

/** Whether the member's profile would change (its last seen aside) if it sent this one. */
function changesProfile(party: PartyInfo, peer: PeerInfo): boolean {
  const now = party.peers.get(peer.peerId)!;
  const after = updatePeer(party, peer, now.lastSeen).party!.peers.get(peer.peerId)!;
  return JSON.stringify(after.toDict()) !== JSON.stringify(now.toDict());
}

/**
 * A member joining again (a reconnect): answered with the party. It changes the profile as
 * `update_peer` does and is held with it, at most once a second per peer: each rejoin was
 * applied and fanned out (a snapshot to every older member), limited only by the joiner's
 * churn quota, so a key on 20 connections sent a bystander 2.5 MB in 3 s. One that changes
 * nothing is not applied at all.
 */
function rejoin(party: PartyInfo, peer: PeerInfo, conn: ConnectionContext, server: ServerContext) {
  claimPeer(conn, peer.peerId, server);
  const partyId = party.partyId;
  const answer = () => server.service.answer(server.service.require(partyId), server.clock.now());
  if (!changesProfile(party, peer)) return answer();
  const apply = (): ServerMessageInput => {
    const transition = updatePeer(server.service.require(partyId), peer, now(server));
    const seq = server.service.apply(partyId, transition, new Set([peer.peerId]));
    // An update_peer held with it is answered with this: its ack keeps the event number.
    return seq === undefined ? { type: 'ack' } : { type: 'ack', seq };
  };
  return server.updates.submit(updateKey(partyId, peer.peerId), apply, answer);
}

function decide(
  message: JoinMessage,
  conn: ConnectionContext,
  server: ServerContext,
  password: JoinFacts['password'],
): ServerMessageInput | PartySnapshot | Promise<PartySnapshot> {
  const peer = PeerInfo.fromParsed(message.peer);
  authorizePeer(conn, peer.peerId, server);
  const party = server.service.require(message.party_id);
  const { invites } = server.access;
  const invite = message.invite;
  const decision = decideJoin({
    ...facts(party, peer.peerId, conn.identityKey, server),
    invite:
      invite === undefined ? null : invites.isValid(party.partyId, invite) ? 'valid' : 'invalid',
    password,
  });
  if (decision.kind === 'refuse') throw refusal(decision.code, invite !== undefined);
  admitNewPeerId(conn, peer.peerId, server);
  if (decision.kind === 'ask_host') return askHost(party, peer, conn, server);
  const answer = admit(party, peer, conn, server);
  if (decision.usesInvite && invite !== undefined) invites.use(invite);
  return answer;
}

/** Whether the password must be checked: a guess that would decide the join. */
function needsPasswordCheck(message: JoinMessage, conn: ConnectionContext, server: ServerContext) {
  if (message.password === undefined) return false;
  const party = server.service.require(message.party_id);
  if (party.settings.joinPolicy !== JoinPolicy.PASSWORD) return false;
  const decision = decideJoin({
    ...facts(party, message.peer.peer_id, conn.identityKey, server),
    invite: message.invite === undefined ? null : 'invalid',
    password: 'wrong',
  });
  return decision.kind === 'refuse' && decision.code === ErrorCode.WRONG_PASSWORD;
}

async function withPassword(message: JoinMessage, conn: ConnectionContext, server: ServerContext) {
  const { guesses, passwords, hashing } = server.access;
  const peerId = message.peer.peer_id;
  // Taken before hashing: guesses sent at once must not all pass while the first still hash.
  const wait = await guesses.take(message.party_id, peerId, conn.address);
  if (wait > 0) {
    throw new ControlPlaneError(`Too many wrong passwords: try again in ${wait} s`, {
      code: ErrorCode.RATE_LIMITED,
      retryAfterS: wait,
    });
  }
  const hash = passwords.hashOf(message.party_id);
  const check = (stored: string) =>
    hashing
      .run(conn.address, () => checkPassword(message.password!, stored))
      .catch(async (e) => {
        // Not judged (its address had too many waiting): the guess is not spent.
        await guesses.refund(message.party_id, peerId, conn.address);
        throw e;
      });
  const right = hash !== undefined && (await check(hash));
  if (right) await guesses.refund(message.party_id, peerId, conn.address);
  // The party may have changed while the hash was computed: decide on it as it is now.
  return decide(message, conn, server, right ? 'right' : 'wrong');
}

/**
 * `resume` (1.4): the answer to an earlier join, which a lost connection or a restarted app
 * never heard. A member is answered as a join; a request still waiting gets its own expiry
 * (the host is not asked again, the wait not made longer); else the request ended (answered
 * no, or expired) and nothing is created.
 */
function resumeJoin(message: JoinMessage, conn: ConnectionContext, server: ServerContext) {
  const party = server.service.require(message.party_id);
  const peerId = message.peer.peer_id;
  if (party.peers.has(peerId)) return decide(message, conn, server, null);
  const pending = server.access.approvals.get(party.partyId, peerId);
  if (!pending) {
    const code = ErrorCode.JOIN_ENDED;
    throw new ControlPlaneError(refusalSentence(code), { code });
  }
  const expires_at = new Date(pending.expiresAt).toISOString();
  return { type: 'join_pending' as const, party_id: party.partyId, expires_at };
}

export const joinHandlers: Pick<HandlerMap, 'join_party' | 'answer_join' | 'cancel_join'> = {
  join_party(message, conn, server) {
    conn.spendChurn();
    // The party first, as for leave_party: a made-up party must not tell whether a peer id
    // is in use (forbidden) or not (not_found).
    server.service.require(message.party_id);
    authorizePeer(conn, message.peer.peer_id, server);
    if (message.resume) return resumeJoin(message, conn, server);
    if (needsPasswordCheck(message, conn, server)) return withPassword(message, conn, server);
    return decide(message, conn, server, null);
  },

  answer_join(message, conn, server) {
    const party = requireHostConn(message.party_id, conn, server);
    const pending = server.access.approvals.take(
      party.partyId,
      message.peer_id,
      server.clock.now(),
    );
    if (!pending) {
      throw new ControlPlaneError(`No one is waiting with peer id ${message.peer_id}`, {
        code: ErrorCode.NOT_FOUND,
      });
    }
    const reason = message.accept ? ClosedReason.ACCEPTED : ClosedReason.REJECTED;
    pushWhenTellable(server, [party.hostId], closedMessage(pending, reason));
    if (!message.accept) {
      tellJoiner(server, pending, ErrorCode.REJECTED);
      return { type: 'ack' };
    }
    const decision = decideApproved(facts(party, pending.peer.peerId, pending.publicKey, server));
    if (decision.kind === 'refuse') {
      tellJoiner(server, pending, decision.code);
      throw refusal(decision.code);
    }
    // Already a member (got in on another server before the request's end reached this one):
    // the accept changes nothing; letting in again would put back the profile it asked with.
    if (!party.peers.has(pending.peer.peerId)) letIn(server, party, pending);
    return { type: 'ack' };
  },

  cancel_join(message, conn, server) {
    server.service.require(message.party_id); // first, as in join_party
    authorizePeer(conn, message.peer_id, server);
    if (!withdrawJoin(message.party_id, message.peer_id, server)) {
      throw new ControlPlaneError('That join is not waiting any more', {
        code: ErrorCode.NOT_FOUND,
      });
    }
    return { type: 'ack' };
  },
};

const OFFLINE = { status: PresenceStatus.OFFLINE, rtt_ms: null };

/**
 * Adds an accepted joiner and sends it the party. One whose app closed while it waited
 * (Approvals.markGone) comes in offline, last seen when it left, not online until the
 * presence check: its `peer_joined` says so (1.5), and the `peer_status` after it tells
 * older apps.
 */
function letIn(server: ServerContext, party: PartyInfo, pending: PendingJoin): void {
  const peerId = pending.peer.peerId;
  const maxPeers = Math.min(party.settings.maxPeers, MAX_PEERS_PER_PARTY);
  const { goneAt } = pending;
  const seen = goneAt === undefined ? now(server) : new Date(goneAt);
  const presence = goneAt === undefined ? undefined : { ...OFFLINE, last_seen: seen.toISOString() };
  const joined = joinParty(party, pending.peer, seen, { maxPeers, presence });
  server.service.apply(party.partyId, joined, new Set([peerId]));
  const snapshot = server.service.answer(joined.party!, server.clock.now());
  // Before 1.12 (its hello is on another connection, maybe): `asleep` said `offline`.
  const older = { frame: snapshotFrame(snapshot, undefined, 0), since: ASLEEP_SINCE };
  pushFrame(server, [peerId], snapshotFrame(snapshot, undefined), older);
  if (goneAt !== undefined) server.service.disconnected([peerId], goneAt);
}
