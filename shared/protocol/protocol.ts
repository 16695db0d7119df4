/**
 * The remote control plane's wire protocol: JSON text frames on `/ws`. Message types and
 * keys are the spec's, snake_case. Every client request may carry a `request_id`; the
 * server's direct answer to it carries the same one. What a client sends is in
 * client-messages.ts (exported from here too), what the server sends below.
 */
import { z } from 'zod';
import {
  BanListSchema,
  ChallengeSchema,
  InviteCreatedSchema,
  InviteListSchema,
  JoinPendingSchema,
  JoinRequestClosedSchema,
  JoinRequestSchema,
  KickedSchema,
  PartyListSchema,
  PartySummarySchema,
} from '../access/protocol';
import { AppErrorCode, MAX_RETRY_AFTER_S } from './errors';
import { IdSchema, RequestIdSchema } from '../values/ids';
import { SessionTokenSchema, SignalDataSchema } from './client-messages';
import { PartyDictSchema, PeerDictSchema } from '../party/dicts';
import { MAX_PEERS_PER_PARTY, PartySettingsSchema } from '../party/settings';
import { PresenceDictSchema, PresenceMapSchema } from '../presence';
import { RelaySchema } from './relay';

/**
 * 1.1 adds presence (`rtt_ms`, `peer_status`, `party_update.presence`), party settings and
 * host hand-over (`transfer_host`, `close_party`, `host_changed`). Later 1.1 servers add `seq`
 * (below), which older clients ignore. 1.2 adds access control (shared/access/protocol.ts):
 * `challenge` and `hello.identity`, more settings and `update_party`, passwords, approval,
 * invites, kick and ban, `list_parties`, and a `party_summary` instead of the party for a
 * stranger's `get_party`. Every 1.0 message works as before, and a 1.0 client may ignore the
 * pushes it does not know. 1.3 adds `peer_updated`: a member's profile change reaches the
 * connections that declared 1.3 or later in `hello` as that event, and older ones as the
 * `party_update` snapshot they always got, under the same `seq`.
 * 1.4 adds `join_party.resume` and `join_request.away`; 1.5 `peer_joined.presence`, for a
 * member let in while its app was closed (older clients ignore it and take the
 * `peer_status` offline that follows), and the refusal `party_ended`. 1.6 adds
 * `welcome.server_time`, so a client whose clock is off reads the server's dates from the start.
 * 1.7 adds `challenge.audience` and `hello.identity.audience`: the identity proof names the
 * origin the client dialled, for a server that knows its own (an app's embedded server).
 * 1.8 adds relay coordination (shared/protocol/relay.ts): `get_relay` and its answer `relay`.
 * 1.9 adds `get_party.invite`: a private invite-only party answers a stranger's `get_party`
 * with its summary only for a valid invite, else the refusal `invite_invalid` (to any client:
 * one before 1.9 shows such a link's dialog without the party's name).
 * 1.10 adds `settings_changed`: the host's settings change reaches the connections that
 * declared 1.10 or later as that event, older ones as the snapshot, under the same `seq`.
 * 1.11 adds `peer_left.reason` `banned`: each peer id a ban removes (the key's others too)
 * leaves as that to the host who banned, if it declared 1.11 or later; older hosts and every
 * other member get `kicked`, under the same `seq`.
 * 1.12 adds `going_to_sleep` (answered `ack`) and the presence status `asleep` it gives its
 * member until the next heartbeat; connections that declared less are told `offline` for it,
 * in `peer_status` and in snapshots alike.
 */
export const PROTOCOL_VERSION = '1.12';

/**
 * A "major.minor" version as one number in version order (1.10 after 1.9); 0 for a missing or
 * malformed one, which is older than any.
 */
export function protocolLevel(version: string | undefined): number {
  const m = /^(\d{1,4})\.(\d{1,4})$/.exec(version ?? '');
  return m ? Number(m[1]) * 10_000 + Number(m[2]) : 0;
}

/** From this `hello.version` on, a connection is sent `peer_updated` instead of a snapshot. */
export const PEER_EVENTS_SINCE = protocolLevel('1.3');
/** From this `hello.version` on, a connection is sent `settings_changed` instead of a snapshot. */
export const SETTINGS_EVENTS_SINCE = protocolLevel('1.10');
/** From this `hello.version` on, the host who banned is told `peer_left` `banned` (1.11). */
export const BAN_REASON_SINCE = protocolLevel('1.11');
/** From this `hello.version` on, a connection is told presence `asleep` (1.12), else `offline`. */
export const ASLEEP_SINCE = protocolLevel('1.12');

export const WS_PATH = '/ws';
/** Frames larger than this close the connection with 1009. */
export const MAX_FRAME_BYTES = 64 * 1024;
/**
 * A `signal` push is a client's frame relayed, so never larger than one: the server refuses to
 * relay a bigger one (numbers written short, `1e20`, come out long), and the app drops a bigger
 * one unread (a hostile server's megabytes of `signal_data` cost seconds of parsing each).
 */
export const MAX_SIGNAL_PUSH_BYTES = MAX_FRAME_BYTES;
/**
 * Close code (RFC 6455 registry: "Service Restart") a draining server sends: reconnect soon
 * and resume the session; nothing acknowledged was lost.
 */
export const CLOSE_SERVICE_RESTART = 1012;

export const ErrorCode = {
  BAD_REQUEST: 'bad_request',
  NOT_FOUND: 'not_found',
  FORBIDDEN: 'forbidden',
  CONFLICT: 'conflict',
  RATE_LIMITED: 'rate_limited',
  TOO_LARGE: 'too_large',
  /** A server quota (parties hosted, creations per minute, join/leave churn) is used up. */
  QUOTA_EXCEEDED: 'quota_exceeded',
  /** The server could not store the change; the client may retry. */
  UNAVAILABLE: 'unavailable',
  /** A fault on the server, not in the request. */
  INTERNAL: 'internal',
  // Refusals of a join (1.2); the app has a sentence for each (shared/protocol/refusals.ts).
  /** The party asks for a password and none was given. */
  PASSWORD_REQUIRED: 'password_required',
  /** The password was wrong (and guesses are throttled). */
  WRONG_PASSWORD: 'wrong_password',
  PARTY_FULL: 'party_full',
  /** The host locked the party: no new members. */
  LOCKED: 'locked',
  /** The host banned this key or peer id. */
  BANNED: 'banned',
  /** The invite is unknown, expired, used up or revoked; or the party takes invited people only. */
  INVITE_INVALID: 'invite_invalid',
  /** The host said no to a join request. */
  REJECTED: 'rejected',
  /** The host did not answer a join request in time. */
  JOIN_EXPIRED: 'join_expired',
  /** 1.4, to `join_party` `resume`: no request waits and the joiner is no member. */
  JOIN_ENDED: 'join_ended',
  /** 1.5: the party ended (its host left or closed it) while a join waited for the host. */
  PARTY_ENDED: 'party_ended',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/**
 * A code a server sent, as one this app acts on: one it does not know (a newer server's, or
 * a hostile one's) is `error`, so no branch keyed on a code runs for it.
 */
export function knownErrorCode(code: string | undefined): ErrorCode | typeof AppErrorCode.ERROR {
  return code !== undefined && ERROR_CODES.has(code) ? (code as ErrorCode) : AppErrorCode.ERROR;
}

/**
 * A party's event number: every per-party event a server fans out carries the next
 * one, a snapshot the one it reflects, and the answer to a request that made an event its
 * sender does not receive (its own update, its own presence change) that event's. A client
 * applies each once, and a gap means it missed one: it asks for a snapshot. Absent from
 * older servers, whose events are applied as they come.
 */
export const SeqSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Seq = SeqSchema.optional();

// ---- server → client -------------------------------------------------------------

export const WelcomeSchema = z.object({
  type: z.literal('welcome'),
  session_token: SessionTokenSchema,
  version: z.string(),
  /** Seconds between heartbeats the server expects. */
  heartbeat_interval: z.number().positive(),
  /** Seconds of silence after which the server drops a peer. */
  peer_timeout: z.number().positive(),
  /** 1.6: the server's clock as it answered (ISO-8601), as heartbeat_ack carries it. */
  server_time: z.string().max(40).optional(),
  request_id: RequestIdSchema,
});
export const PartyUpdateSchema = z.object({
  type: z.literal('party_update'),
  /** No party has more than MAX_PEERS_PER_PARTY members: a client refuses a bigger one. */
  party: PartyDictSchema.refine((p) => Object.keys(p.peers).length <= MAX_PEERS_PER_PARTY, {
    message: `must have at most ${MAX_PEERS_PER_PARTY} peers`,
    path: ['peers'],
  }),
  /** Every member's presence (1.1; absent from a 1.0 server). */
  presence: PresenceMapSchema.optional(),
  seq: Seq,
  request_id: RequestIdSchema,
});
/** 1.3: a member changed its profile (name, address…): the peer as it is now. */
export const PeerUpdatedSchema = z.object({
  type: z.literal('peer_updated'),
  party_id: IdSchema,
  peer: PeerDictSchema,
  seq: Seq,
  request_id: RequestIdSchema,
});
/** 1.10: the host changed the party's settings: the settings as they are now. */
export const SettingsChangedSchema = z.object({
  type: z.literal('settings_changed'),
  party_id: IdSchema,
  settings: PartySettingsSchema,
  seq: Seq,
  request_id: RequestIdSchema,
});
export const PeerJoinedSchema = PeerUpdatedSchema.extend({
  type: z.literal('peer_joined'),
  /** 1.5: the new member's presence when it is not online (absent: online). */
  presence: PresenceDictSchema.optional(),
});
export const PeerLeftSchema = z.object({
  type: z.literal('peer_left'),
  party_id: IdSchema,
  peer_id: IdSchema,
  /**
   * `left` or `timeout` (1.1), `kicked` (1.2), `banned` (1.11, to the host that banned);
   * unknown reasons are kept as a plain leave.
   */
  reason: z.string().max(32).optional(),
  seq: Seq,
  request_id: RequestIdSchema,
});
/** A member went online, offline or (1.12) asleep, or its round trip changed notably (1.1). */
export const PeerStatusSchema = PresenceDictSchema.extend({
  type: z.literal('peer_status'),
  party_id: IdSchema,
  peer_id: IdSchema,
  seq: Seq,
  request_id: RequestIdSchema,
});
export const HostChangedSchema = z.object({
  type: z.literal('host_changed'),
  party_id: IdSchema,
  host_id: IdSchema,
  reason: z.string().max(32),
  seq: Seq,
  request_id: RequestIdSchema,
});
export const PartyClosedSchema = z.object({
  type: z.literal('party_closed'),
  party_id: IdSchema,
  reason: z.string().max(32).optional(),
  seq: Seq,
  request_id: RequestIdSchema,
});
export const HeartbeatAckSchema = z.object({
  type: z.literal('heartbeat_ack'),
  /** ISO-8601 time on the server when it handled the heartbeat. */
  server_time: z.string().max(40),
  seq: Seq,
  request_id: RequestIdSchema,
});
export const AckSchema = z.object({
  type: z.literal('ack'),
  seq: Seq,
  request_id: RequestIdSchema,
});
export const SignalSchema = z.object({
  type: z.literal('signal'),
  party_id: IdSchema,
  from_peer_id: IdSchema,
  to_peer_id: IdSchema,
  signal_data: SignalDataSchema,
  request_id: RequestIdSchema,
});
export const ErrorMessageSchema = z.object({
  type: z.literal('error'),
  message: z.string().max(1024),
  code: z.string().max(32).optional(),
  /** The party a pushed refusal is about (a join request answered `rejected` later). */
  party_id: IdSchema.optional(),
  /**
   * With `rate_limited`: whole seconds until asking again may succeed. Additive; a value out
   * of bounds is dropped, the error still read.
   */
  retry_after_s: z.number().int().min(1).max(MAX_RETRY_AFTER_S).optional().catch(undefined),
  request_id: RequestIdSchema,
});

export const ServerMessageSchema = z.discriminatedUnion('type', [
  WelcomeSchema,
  PartyUpdateSchema,
  PeerJoinedSchema,
  PeerUpdatedSchema,
  SettingsChangedSchema,
  PeerLeftSchema,
  PartyClosedSchema,
  HeartbeatAckSchema,
  AckSchema,
  SignalSchema,
  ErrorMessageSchema,
  PeerStatusSchema,
  HostChangedSchema,
  ChallengeSchema,
  PartySummarySchema,
  JoinPendingSchema,
  JoinRequestSchema,
  JoinRequestClosedSchema,
  InviteCreatedSchema,
  InviteListSchema,
  BanListSchema,
  KickedSchema,
  PartyListSchema,
  RelaySchema,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
/** What the server sends (timestamps as strings). */
export type ServerMessageInput = z.input<typeof ServerMessageSchema>;
