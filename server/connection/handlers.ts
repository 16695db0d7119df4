/**
 * One handler per client message type. The map's type is exhaustive: a message type
 * without a handler fails to compile. A handler returns its direct answer (the dispatcher
 * adds the `request_id` and sends it once the change is durable) or throws a
 * ControlPlaneError that becomes an `error` answer.
 */
import { ControlPlaneError } from '../../shared/protocol/errors';
import { PeerInfo } from '../../shared/model';
import { PresenceStatus } from '../../shared/presence';
import { closeParty, leaveParty, transferHost, updatePeer } from '../../shared/party/transitions';
import { LeaveReason } from '../../shared/party/events';
import {
  ErrorCode,
  PROTOCOL_VERSION,
  protocolLevel,
  type ServerMessageInput,
} from '../../shared/protocol/protocol';
import type { ClientMessage, ClientMessageType } from '../../shared/protocol/client-messages';
import type { AccessContext } from '../access/context';
import { accessHandlers } from '../access/handlers';
import { adoptIdentity, checkIdentity } from '../access/identity/identity-hello';
import { tellHostsAway, withdrawJoin } from '../access/door';
import {
  alreadyActsAs,
  authorizePeer,
  claimPeer,
  requireHostConn,
} from '../access/identity/peer-auth';
import type { Clock } from '../../shared/time/clock';
import type { GroupCommitter } from '../store/group-commit';
import { heartbeatAck, type JsonAnswer } from './heartbeat-ack';
import type { ServerMetrics } from '../metrics/metrics-api';
import type { PartyService } from '../party/party-service';
import type { Presence } from '../presence/presence';
import type { Quotas } from '../admission/quotas';
import type { SessionRegistry } from './sessions';
import type { PartySnapshot } from '../party/snapshots';
import type { TimeoutNotice } from '../presence/timeout-notices';
import { updateKey, type UpdateCoalescer } from '../party/update-coalescer';
import { relayHandlers } from '../relay/relay-handler';
import { refuseIfBehind, signalPush } from './signal-push';
import type { RelayOptions } from '../relay/turn-credentials';

/** The connection a message arrived on. */
export interface ConnectionContext {
  /** Unique per connection: the id of the Outbox it is (see presence.ts). */
  readonly id: number;
  /** The session this connection acts for; `hello` may switch it to an earlier one. */
  token: string;
  /** Where the client connects from (IPv6 by /64), for per-address quotas. */
  readonly address: string;
  /** This connection's challenge (sent first): `hello.identity` signs it. */
  readonly nonce: string;
  /** The identity key this connection proved in `hello` (null: none, a 1.0 client). */
  identityKey: string | null;
  /**
   * The `hello.version` it declared (shared/protocol/protocol.ts protocolLevel; 0: none yet): which
   * events it is sent instead of snapshots (presence.ts Outbox.protocol).
   */
  protocol: number;
  /** Routes the peer's messages to this connection. */
  attach(peerId: string): void;
  /** Counts a join or leave against the connection's churn quota. @throws `quota_exceeded` */
  spendChurn(): void;
  /** Counts snapshot bytes asked for against the connection's budget. @throws `rate_limited` */
  spendSnapshot(bytes: number): void;
  /**
   * Set by a handler whose answer depends on nothing durable (a heartbeat that claimed no
   * ownership and changed no presence): it may be sent without waiting for a commit.
   * Cleared before each message.
   */
  softAnswer: boolean;
  /** Queues a frame to send right after this message's answer (same order on the wire). */
  followUp(message: ServerMessageInput): void;
}

export interface ServerContext {
  service: PartyService;
  sessions: SessionRegistry;
  presence: Presence;
  committer: GroupCommitter;
  metrics: ServerMetrics;
  clock: Clock;
  heartbeatIntervalS: number;
  peerTimeoutS: number;
  quotas: Quotas;
  updates: UpdateCoalescer;
  /**
   * With servers sharing a store: reads these parties back when the store has them at a
   * later number (another server's change may not have reached this one yet).
   */
  refresh?: (partyIds: string[]) => Promise<void>;
  /** Identity bindings, passwords, invites, bans, approvals, removal notices (server/access/). */
  access: AccessContext;
  /** The operator's TURN relays (server/relay/); null: `get_relay` answers with none. */
  relay: RelayOptions | null;
}

type MessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;
/** A held `update_peer` is answered later, once the update that superseded it is stored. */
type DirectAnswer = ServerMessageInput | PartySnapshot | JsonAnswer;
export type HandlerAnswer = DirectAnswer | Promise<DirectAnswer>;
export type Handler<T extends ClientMessageType> = (
  message: MessageOf<T>,
  conn: ConnectionContext,
  server: ServerContext,
) => HandlerAnswer;
export type HandlerMap = { [T in ClientMessageType]: Handler<T> };

/** Checks the connection may act as `peerId` (see access/identity/peer-auth.ts). */
const actAs = (peerId: string, conn: ConnectionContext, server: ServerContext): void =>
  authorizePeer(conn, peerId, server);

/** Makes the peer the connection's; returns whether durable state changed. */
const own = (peerId: string, conn: ConnectionContext, server: ServerContext): boolean =>
  claimPeer(conn, peerId, server);

/** Only the host's own connection may act for the host (hand-over, close). */
const actAsHost = (partyId: string, conn: ConnectionContext, server: ServerContext) =>
  requireHostConn(partyId, conn, server);

function hello(
  message: MessageOf<'hello' | 'auth'>,
  conn: ConnectionContext,
  server: ServerContext,
): ServerMessageInput {
  // The proof first: a hello refused for it must not switch the connection to the session it
  // names, nor take that session's notices (whoever holds a token would get them).
  const identity = message.identity;
  const proven = identity !== undefined && checkIdentity(identity, conn, server);
  conn.protocol = protocolLevel(message.version);
  const previous = message.session_token;
  const resuming =
    previous !== undefined && previous !== conn.token && server.sessions.isKnown(previous);
  if (resuming) {
    server.sessions.hold(previous);
    server.sessions.release(conn.token);
    conn.token = previous;
  }
  // Asked even when the session itself was pruned (it owned nothing once it was removed).
  // A removal kept by session and by key is told once.
  const told = new Set<string>();
  const { notices } = server.access;
  const ms = server.clock.now();
  if (previous !== undefined) tellRemoved(notices.take(previous, ms), conn, server, told);
  if (identity !== undefined && proven) {
    adoptIdentity(identity, conn, server);
    tellRemoved(notices.takeForKey(identity.public_key, ms), conn, server, told);
  }
  if (resuming) resumeSession(previous, conn, server);
  return {
    type: 'welcome',
    session_token: conn.token,
    version: PROTOCOL_VERSION,
    heartbeat_interval: server.heartbeatIntervalS,
    peer_timeout: server.peerTimeoutS,
    server_time: new Date(server.clock.now()).toISOString(),
  };
}

/**
 * The session's ids come back on this connection, those bound to a key only when this hello
 * proved that key: the token alone, read off a plain ws link, would otherwise take a keyed
 * member's messages and presence (its actions already need the key: access/identity/peer-auth.ts).
 */
function resumeSession(token: string, conn: ConnectionContext, server: ServerContext): void {
  const { bindings } = server.access;
  const peers = [...server.sessions.peersOf(token)].filter((peerId) => {
    const key = bindings.keyOf(peerId);
    return key === undefined || key === conn.identityKey;
  });
  for (const peerId of peers) conn.attach(peerId);
  server.service.resumed(peers, server.clock.now());
  tellHostsAway(server, server.access.approvals.markGone(peers, null));
}

/**
 * For each party this session (or key) was removed from and is not back in: `peer_left`
 * (timeout), or `kicked` when the host removed it.
 */
function tellRemoved(
  notices: TimeoutNotice[],
  conn: ConnectionContext,
  server: ServerContext,
  told: Set<string>,
): void {
  for (const n of notices) {
    if (server.service.parties.get(n.partyId)?.peers.has(n.peerId)) continue;
    const removal = `${n.partyId}\u0000${n.peerId}`;
    if (told.has(removal)) continue;
    told.add(removal);
    if (n.kicked) {
      conn.followUp({ type: 'kicked', party_id: n.partyId, banned: n.kicked.banned });
      continue;
    }
    const reason = LeaveReason.TIMEOUT;
    conn.followUp({ type: 'peer_left', party_id: n.partyId, peer_id: n.peerId, reason });
  }
}

const now = (server: ServerContext): Date => new Date(server.clock.now());

/** An ack, with the number of the event its sender was left out of (if any). */
function ack(seq: number | undefined): ServerMessageInput {
  return seq === undefined ? { type: 'ack' } : { type: 'ack', seq };
}

export const handlers: HandlerMap = {
  ...accessHandlers,
  ...relayHandlers,
  hello,
  auth: hello,

  leave_party(message, conn, server) {
    conn.spendChurn();
    // The party first: naming a made-up party must not tell whether a peer id is in use.
    const party = server.service.require(message.party_id);
    actAs(message.peer_id, conn, server);
    if (!party.peers.has(message.peer_id) && withdrawJoin(party.partyId, message.peer_id, server)) {
      return { type: 'ack' };
    }
    const successors = server.service.lazySuccessors(party.partyId);
    server.service.apply(
      party.partyId,
      leaveParty(party, message.peer_id, successors),
      new Set([message.peer_id]),
    );
    return { type: 'ack' };
  },

  transfer_host(message, conn, server) {
    const party = actAsHost(message.party_id, conn, server);
    server.service.apply(
      party.partyId,
      transferHost(party, party.hostId, message.to_peer_id),
      new Set(),
    );
    return { type: 'ack' };
  },

  close_party(message, conn, server) {
    const party = actAsHost(message.party_id, conn, server);
    server.service.apply(party.partyId, closeParty(party, party.hostId), new Set([party.hostId]));
    return { type: 'ack' };
  },

  heartbeat(message, conn, server) {
    const peerId = message.peer_id;
    const settled = alreadyActsAs(conn, peerId, server);
    if (!settled) {
      server.service.require(message.party_id);
      actAs(peerId, conn, server);
    }
    const ms = server.clock.now();
    const seq = server.service.touch(message.party_id, peerId, ms, message.rtt_ms);
    // Claimed whenever it is not settled, a beat that changed presence included: that one
    // brings a peer back online, and unclaimed it stayed unroutable (signals to it refused,
    // events to it lost) until its next beat, one interval later.
    const recorded = !settled && own(peerId, conn, server);
    // An ack that names the number of a presence change waits for it: a shared store may
    // refuse that commit and give the number to another server's event, which the peer,
    // told the number was its own, would then drop.
    conn.softAnswer = seq === undefined && !recorded;
    return heartbeatAck(ms, seq);
  },

  going_to_sleep(message, conn, server) {
    // Each is an event to every member, and stored: flipped with beats in a loop, it is
    // bounded as joins and leaves are (a PC goes to sleep a few times a day).
    conn.spendChurn();
    // As a heartbeat is checked: only the member's own connection says it for it.
    server.service.require(message.party_id);
    actAs(message.peer_id, conn, server);
    return ack(server.service.asleep(message.party_id, message.peer_id, server.clock.now()));
  },

  update_peer(message, conn, server) {
    const peer = PeerInfo.fromParsed(message.peer);
    const party = server.service.require(message.party_id);
    actAs(peer.peerId, conn, server);
    // Refused now if it would be refused when applied (not a member, …).
    updatePeer(party, peer, now(server));
    own(peer.peerId, conn, server);
    return server.updates.submit(updateKey(message.party_id, peer.peerId), () => {
      const party = server.service.require(message.party_id);
      const transition = updatePeer(party, peer, now(server));
      return ack(server.service.apply(party.partyId, transition, new Set([peer.peerId])));
    });
  },

  signal(message, conn, server) {
    const party = server.service.require(message.party_id);
    actAs(message.from_peer_id, conn, server);
    for (const peerId of [message.from_peer_id, message.to_peer_id]) {
      if (!party.peers.has(peerId)) {
        throw new ControlPlaneError(`Peer ${peerId} is not in party ${party.partyId}`, {
          code: ErrorCode.NOT_FOUND,
        });
      }
    }
    const to = message.to_peer_id;
    const here = server.presence.isConnected(to);
    // With servers sharing a store, the peer may be connected to another one (online there).
    const elsewhere =
      !here &&
      server.committer.replicates &&
      server.service.presence.presenceOf(party.partyId)[to]?.status === PresenceStatus.ONLINE;
    if (!here && !elsewhere) {
      throw new ControlPlaneError(`Peer ${to} is not connected`, { code: ErrorCode.NOT_FOUND });
    }
    const frame = signalPush(message);
    const bytes = Buffer.byteLength(frame);
    // Before its budget is spent: a signal refused costs its sender nothing.
    if (here) refuseIfBehind(server.presence.routeOf(to), to, bytes);
    server.quotas.spendSignal(message.from_peer_id, to, bytes);
    own(message.from_peer_id, conn, server);
    if (elsewhere) server.committer.recordFanout([to], frame);
    else server.committer.whenTellable(() => server.presence.offerToPeer(to, frame));
    return { type: 'ack' };
  },
};
