/**
 * A client frame's value checked against the protocol schema. Heartbeats are nearly every
 * frame a server gets, and zod's general object parse (a discriminated union, then a pipe
 * per party id) costs about as much as everything else a heartbeat does; so a heartbeat in
 * its plain form is checked here directly, and so are a leave_party (the same fields but
 * rtt_ms) and a join_party without password or invite (zod's parse of it was ~13 % of our
 * code's CPU per leave + join, bench:cost), with the schema's own pieces (ID_PATTERN, the
 * party id's folding, the name rule, the timestamp reader, the bounds); anything else goes
 * to zod. This only ever accepts: whatever it is unsure of, zod decides, so the errors a
 * client sees are zod's. Property tests hold each check to accepting exactly what its
 * schema accepts, with the same output.
 */
import { z } from 'zod';
import { canonicalPartyId, ID_PATTERN, MAX_REQUEST_ID_LENGTH } from '../../shared/values/ids';
import { MAX_NAME_INPUT, nameProblem, normalizeName } from '../../shared/values/names';
import { PEER_DICT_LIMITS } from '../../shared/party/dicts';
import { MAX_RTT_MS } from '../../shared/presence';
import { MAX_TIMESTAMP_LENGTH, parseTimestamp } from '../../shared/time/timestamp';
import { ClientMessageSchema, type ClientMessage } from '../../shared/protocol/client-messages';

type Heartbeat = Extract<ClientMessage, { type: 'heartbeat' }>;
type LeaveParty = Extract<ClientMessage, { type: 'leave_party' }>;
type JoinParty = Extract<ClientMessage, { type: 'join_party' }>;
type ParsedPeer = JoinParty['peer'];
type Parsed = ReturnType<typeof ClientMessageSchema.safeParse>;

const isId = (v: unknown): v is string => typeof v === 'string' && ID_PATTERN.test(v);

/** A request_id as RequestIdSchema takes it; false when zod must decide. */
function requestIdOk(requestId: unknown): requestId is string | undefined {
  if (requestId === undefined) return true;
  if (typeof requestId !== 'string') return false;
  return requestId.length >= 1 && requestId.length <= MAX_REQUEST_ID_LENGTH;
}

/** `value` as a heartbeat when it plainly is one; undefined when zod must decide. */
export function plainHeartbeat(value: Record<string, unknown>): Heartbeat | undefined {
  const { type, party_id, peer_id, rtt_ms, request_id } = value;
  if (type !== 'heartbeat' || !isId(party_id) || !isId(peer_id)) return undefined;
  if (!requestIdOk(request_id)) return undefined;
  const beat: Heartbeat = { type, party_id: canonicalPartyId(party_id), peer_id };
  if (rtt_ms !== undefined) {
    if (typeof rtt_ms !== 'number' || !(rtt_ms >= 0 && rtt_ms <= MAX_RTT_MS)) return undefined;
    beat.rtt_ms = rtt_ms;
  }
  if (request_id !== undefined) beat.request_id = request_id;
  return beat;
}

/**
 * `value` as a leave_party when it plainly is one (half of every churn cycle: zod's parse
 * was ~5 % of a leave's cost); undefined when zod must decide.
 */
export function plainLeave(value: Record<string, unknown>): LeaveParty | undefined {
  const { type, party_id, peer_id, request_id } = value;
  if (type !== 'leave_party' || !isId(party_id) || !isId(peer_id)) return undefined;
  if (!requestIdOk(request_id)) return undefined;
  const leave: LeaveParty = { type, party_id: canonicalPartyId(party_id), peer_id };
  if (request_id !== undefined) leave.request_id = request_id;
  return leave;
}

const isText = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length >= 1 && v.length <= max;
const isPort = (v: unknown): v is number =>
  Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= PEER_DICT_LIMITS.port;
// An IPv6 address is left to zod, whose rule for it is not worth repeating here.
const isIpv4 = (v: unknown): v is string => typeof v === 'string' && z.regexes.ipv4.test(v);

/** A peer dict as PeerDictSchema reads it (name normalized, last_seen a Date), or undefined. */
function plainPeer(value: unknown): ParsedPeer | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const p = value as Record<string, unknown>;
  const { peer_id, public_key, nat_type, public_ip, public_port, local_ip, local_port } = p;
  if (!isId(peer_id) || !isText(public_key, PEER_DICT_LIMITS.publicKey)) return undefined;
  if (!isText(nat_type, PEER_DICT_LIMITS.natType)) return undefined;
  if (!isIpv4(public_ip) || !isPort(public_port) || !isIpv4(local_ip) || !isPort(local_port)) {
    return undefined;
  }
  if (typeof p.name !== 'string' || typeof p.last_seen !== 'string') return undefined;
  if (p.last_seen.length > MAX_TIMESTAMP_LENGTH || p.name.length > MAX_NAME_INPUT) return undefined;
  const name = normalizeName(p.name);
  const lastSeen = parseTimestamp(p.last_seen);
  if (nameProblem(name) !== null || lastSeen === null) return undefined;
  return {
    peer_id,
    name,
    public_key,
    nat_type,
    public_ip,
    public_port,
    local_ip,
    local_port,
    last_seen: lastSeen,
  };
}

/**
 * `value` as a join_party when it plainly is one with neither password, invite nor resume
 * (every churn cycle's other half); undefined when zod must decide.
 */
export function plainJoin(value: Record<string, unknown>): JoinParty | undefined {
  const { type, party_id, request_id } = value;
  if (type !== 'join_party' || !isId(party_id) || !requestIdOk(request_id)) return undefined;
  const { password, invite, resume } = value;
  if (password !== undefined || invite !== undefined || resume !== undefined) return undefined;
  const peer = plainPeer(value.peer);
  if (!peer) return undefined;
  const join: JoinParty = { type, party_id: canonicalPartyId(party_id), peer };
  if (request_id !== undefined) join.request_id = request_id;
  return join;
}

/** The message a frame's JSON object is, as ClientMessageSchema.safeParse answers. */
export function parseClientMessage(value: Record<string, unknown>): Parsed {
  const plain = plainHeartbeat(value) ?? plainLeave(value) ?? plainJoin(value);
  return plain ? { success: true, data: plain } : ClientMessageSchema.safeParse(value);
}
