/**
 * A client frame's value checked against the protocol schema. Heartbeats are nearly every
 * frame a server gets, and zod's general object parse (a discriminated union, then a pipe
 * per party id) costs about as much as everything else a heartbeat does; so a heartbeat in
 * its plain form is checked here directly, with the schema's own pieces (ID_PATTERN, the
 * party id's folding, the bounds), and anything else goes to zod. This only ever accepts:
 * whatever it is unsure of, zod decides, so the errors a client sees are zod's. A property
 * test holds it to accepting exactly what HeartbeatSchema accepts, with the same output.
 */
import { canonicalPartyId, ID_PATTERN, MAX_REQUEST_ID_LENGTH } from '../../shared/ids';
import { MAX_RTT_MS } from '../../shared/presence';
import { ClientMessageSchema, type ClientMessage } from '../../shared/client-messages';

type Heartbeat = Extract<ClientMessage, { type: 'heartbeat' }>;
type Parsed = ReturnType<typeof ClientMessageSchema.safeParse>;

const isId = (v: unknown): v is string => typeof v === 'string' && ID_PATTERN.test(v);

/** `value` as a heartbeat when it plainly is one; undefined when zod must decide. */
export function plainHeartbeat(value: Record<string, unknown>): Heartbeat | undefined {
  const { type, party_id, peer_id, rtt_ms, request_id } = value;
  if (type !== 'heartbeat' || !isId(party_id) || !isId(peer_id)) return undefined;
  const beat: Heartbeat = { type, party_id: canonicalPartyId(party_id), peer_id };
  if (rtt_ms !== undefined) {
    if (typeof rtt_ms !== 'number' || !(rtt_ms >= 0 && rtt_ms <= MAX_RTT_MS)) return undefined;
    beat.rtt_ms = rtt_ms;
  }
  if (request_id !== undefined) {
    if (typeof request_id !== 'string') return undefined;
    if (request_id.length < 1 || request_id.length > MAX_REQUEST_ID_LENGTH) return undefined;
    beat.request_id = request_id;
  }
  return beat;
}

/** The message a frame's JSON object is, as ClientMessageSchema.safeParse answers. */
export function parseClientMessage(value: Record<string, unknown>): Parsed {
  const beat = plainHeartbeat(value);
  return beat ? { success: true, data: beat } : ClientMessageSchema.safeParse(value);
}
