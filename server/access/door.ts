/**
 * The approval door (protocol 1.2): a join the host must answer waits as a request; the
 * host is asked (`join_request`), and told when a request closes; the joiner hears how it
 * ended. Pushes go out once what they tell is recorded, to peers on any server.
 */
import { ControlPlaneError } from '../../shared/protocol/errors';
import type { PartyInfo, PeerInfo } from '../../shared/model';
import { ErrorCode, type ServerMessageInput } from '../../shared/protocol/protocol';
import { refusalSentence, type RefusalCode } from '../../shared/protocol/refusals';
import type { ConnectionContext, ServerContext } from '../connection/handlers';
import { APPROVAL_TIMEOUT_MS, ClosedReason, type AddRefusal, type PendingJoin } from './approvals';
import { keyFingerprint } from './identity/identity-proof';
import { claimPeer } from './identity/peer-auth';
import type { LegacyFrame } from '../presence/presence';

/** Sends `message` to these peers once they may hear of what was recorded before it. */
export function pushWhenTellable(server: ServerContext, to: string[], message: ServerMessageInput) {
  pushFrame(server, to, JSON.stringify(message));
}

/**
 * To these peers' connections here (GroupCommitter.whenTellable), and (a shared store) to
 * theirs on the other servers with the same commit: a joiner and its host may be on
 * different servers.
 */
export function pushFrame(
  server: ServerContext,
  to: string[],
  frame: string,
  legacy?: LegacyFrame,
): void {
  server.committer.recordFanout(to, legacy?.frame ?? frame);
  server.committer.whenTellable(() => server.presence.sendToPeers(to, frame, legacy));
}

/** The joiner waits at the door: the host is asked, the joiner told `join_pending`. */
export function askHost(
  party: PartyInfo,
  peer: PeerInfo,
  conn: ConnectionContext,
  server: ServerContext,
) {
  const expiresAt = server.clock.now() + APPROVAL_TIMEOUT_MS;
  const pending: PendingJoin = {
    partyId: party.partyId,
    peer,
    publicKey: conn.identityKey,
    expiresAt,
    address: conn.address,
  };
  const refusal = addToDoor(server, pending);
  if (refusal) {
    const message =
      refusal === 'party_full'
        ? 'Too many people are waiting to join this party; try later'
        : 'Too many requests from your address are waiting for this host; try later';
    throw new ControlPlaneError(message, { code: ErrorCode.RATE_LIMITED });
  }
  claimPeer(conn, peer.peerId, server);
  pushWhenTellable(server, [party.hostId], requestMessage(pending));
  const expires_at = new Date(expiresAt).toISOString();
  return { type: 'join_pending' as const, party_id: party.partyId, expires_at };
}

/**
 * Adds the request to the door; a full door gives the place of the most crowded address's
 * oldest request to one from a less crowded address (Approvals.displaceFor), telling both
 * sides of the request given up.
 */
function addToDoor(server: ServerContext, pending: PendingJoin): AddRefusal | null {
  const { approvals } = server.access;
  const refusal = approvals.add(pending);
  const displaced = refusal === 'party_full' ? approvals.displaceFor(pending) : undefined;
  if (!displaced) return refusal;
  pushWhenTellable(server, [displaced.peer.peerId], {
    type: 'error',
    code: ErrorCode.RATE_LIMITED,
    party_id: displaced.partyId,
    message: CROWDED_OUT,
  });
  const party = server.service.parties.get(displaced.partyId);
  if (party) {
    pushWhenTellable(server, [party.hostId], closedMessage(displaced, ClosedReason.EXPIRED));
  }
  return approvals.add(pending);
}

const CROWDED_OUT =
  'Too many people are waiting to join this party, most of them from your address: your request gave its place to someone else. Try later.';

/** What the host is told of a waiting request. */
function requestMessage(pending: PendingJoin): ServerMessageInput {
  const key = pending.publicKey;
  return {
    type: 'join_request',
    party_id: pending.partyId,
    peer_id: pending.peer.peerId,
    name: pending.peer.name,
    key_fingerprint: key === null ? null : keyFingerprint(key),
    expires_at: new Date(pending.expiresAt).toISOString(),
    away: pending.goneAt !== undefined,
  };
}

/**
 * These requests' joiners left or came back (Approvals.markGone): their hosts see the
 * request again, saying whether the joiner's app is away, on whichever server they are.
 */
export function tellHostsAway(server: ServerContext, changed: readonly PendingJoin[]): void {
  for (const pending of changed) {
    const party = server.service.parties.get(pending.partyId);
    if (party) pushWhenTellable(server, [party.hostId], requestMessage(pending));
  }
}

/**
 * Takes back the peer's join waiting for the host, telling the host; false when none waits.
 * `leave_party` does it too: a joiner that left must not be let in (and shown online) later.
 */
export function withdrawJoin(partyId: string, peerId: string, server: ServerContext): boolean {
  const pending = server.access.approvals.take(partyId, peerId, server.clock.now());
  if (!pending) return false;
  const party = server.service.parties.get(partyId);
  if (party) {
    pushWhenTellable(server, [party.hostId], closedMessage(pending, ClosedReason.CANCELLED));
  }
  return true;
}

export function closedMessage(pending: PendingJoin, reason: ClosedReason): ServerMessageInput {
  return {
    type: 'join_request_closed',
    party_id: pending.partyId,
    peer_id: pending.peer.peerId,
    reason,
  };
}

/** The joiner's answer, pushed: an `error` naming the party and why. */
export function tellJoiner(
  server: ServerContext,
  pending: PendingJoin,
  code: Exclude<RefusalCode, typeof RefusalCode.CANCELLED>,
): void {
  pushWhenTellable(server, [pending.peer.peerId], {
    type: 'error',
    code,
    party_id: pending.partyId,
    message: refusalSentence(code),
  });
}

/** Drops requests past their two minutes, telling both sides. */
export function expireApprovals(server: ServerContext): void {
  for (const pending of server.access.approvals.expire(server.clock.now())) {
    tellJoiner(server, pending, ErrorCode.JOIN_EXPIRED);
    const party = server.service.parties.get(pending.partyId);
    if (party)
      pushWhenTellable(server, [party.hostId], closedMessage(pending, ClosedReason.EXPIRED));
  }
}
