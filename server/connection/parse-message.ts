/**
 * A client frame's value checked against the protocol schema. Heartbeats are nearly every
 * frame a server gets, and zod's general object parse (a discriminated union, then a pipe
 * per party id) costs about as much as everything else a heartbeat does; so a heartbeat in
 * its plain form is checked here directly, and so is a leave_party (the same fields but
 * rtt_ms), with the schema's own pieces (ID_PATTERN, the party id's folding, the bounds);
 * anything else goes to zod. This only ever accepts: whatever it is unsure of, zod decides,
 * so the errors a client sees are zod's. Property tests hold each check to accepting exactly
 * what its schema accepts, with the same output.
 */
import { canonicalPartyId, ID_PATTERN, MAX_REQUEST_ID_LENGTH } from '../../shared/ids';
import { MAX_RTT_MS } from '../../shared/presence';
import { ClientMessageSchema, type ClientMessage } from '../../shared/client-messages';

type Heartbeat = Extract<ClientMessage, { type: 'heartbeat' }>;
type LeaveParty = Extract<ClientMessage, { type: 'leave_party' }>;
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

/** The message a frame's JSON object is, as ClientMessageSchema.safeParse answers. */
export function parseClientMessage(value: Record<string, unknown>): Parsed {
  const plain = plainHeartbeat(value) ?? plainLeave(value);
  return plain ? { success: true, data: plain } : ClientMessageSchema.safeParse(value);
}
