/**
 * Relay coordination (protocol 1.8, the seed's "Centralized relay coordination"): a server
 * whose operator runs a TURN relay hands the members of a party short-lived credentials for
 * it, so voice and screen sharing connect where the two PCs cannot reach each other, and a
 * member who hides their address calls through it only. Credentials follow the TURN REST
 * convention coturn's `use-auth-secret` checks: `username` is `<expiry unix seconds>:<peer id>`,
 * `credential` the base64 HMAC-SHA1 of it under the secret the server and relay share.
 */
import { z } from 'zod';
import { IdSchema, PartyIdSchema, RequestIdSchema } from '../values/ids';

/** The most relays a server names, and addresses (`urls`) each: a page tries every one. */
export const MAX_RELAYS = 4;
export const MAX_RELAY_URLS = 4;
/** How long credentials last, in seconds, unless the operator says otherwise. */
export const DEFAULT_RELAY_TTL_SECONDS = 3600;
/** Credentials lasting less than this are refused by the server's flag, and by the app. */
export const MIN_RELAY_TTL_SECONDS = 60;
export const MAX_RELAY_TTL_SECONDS = 7 * 24 * 3600;

/**
 * A relay's address as WebRTC takes it (RFC 7065): `turn:` or `turns:` and a host, an optional
 * port and transport. Nothing else: no path, no user part, no query beyond the transport, so a
 * hostile server cannot make a page fetch anything with it. The port is 1–65535: Chromium
 * refuses to build an RTCPeerConnection at all with `turn:host:70000` ("Invalid port").
 */
export const RELAY_URL_PATTERN =
  /^turns?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*|\[[0-9A-Fa-f:.]{2,45}\])(?::(?:6553[0-5]|655[0-2]\d|65[0-4]\d{2}|6[0-4]\d{3}|[1-5]\d{4}|[1-9]\d{0,3}))?(?:\?transport=(?:udp|tcp))?$/;
export const RelayUrlSchema = z
  .string()
  .max(300)
  .regex(RELAY_URL_PATTERN, 'must be a turn: or turns: address (turn:host:port)');

export const IceServerSchema = z.object({
  urls: z.array(RelayUrlSchema).min(1).max(MAX_RELAY_URLS),
  username: z.string().min(1).max(256),
  credential: z.string().min(1).max(256),
});
export type IceServer = z.infer<typeof IceServerSchema>;

/** client → server: credentials for the relays, for one party the sender is a member of. */
export const GetRelaySchema = z.object({
  type: z.literal('get_relay'),
  party_id: PartyIdSchema,
  request_id: RequestIdSchema,
});

/**
 * server → client, the answer to `get_relay`. `ice_servers` is empty when the server has no
 * relay (an app's embedded server never has one). `ttl`: seconds the credentials last from
 * this answer (not a date, so a client whose clock is off still asks again in time).
 */
export const RelaySchema = z.object({
  type: z.literal('relay'),
  party_id: IdSchema,
  ice_servers: z.array(IceServerSchema).max(MAX_RELAYS),
  ttl: z.number().int().min(MIN_RELAY_TTL_SECONDS).max(MAX_RELAY_TTL_SECONDS),
  request_id: RequestIdSchema,
});

/**
 * What a page needs of a `relay` answer, and what the IPC channel `getRelay` answers.
 * `ignored` (the app's, not the wire's): how many relay addresses the app dropped as too near
 * this PC for the server it reached (electron/core/client/relay/relay-scope.ts), so that a panel
 * left with no relay says why rather than that the server has none.
 */
export const RelayGrantSchema = RelaySchema.pick({ ice_servers: true, ttl: true }).extend({
  ignored: z
    .number()
    .int()
    .min(1)
    .max(MAX_RELAYS * MAX_RELAY_URLS)
    .optional(),
});
export type RelayGrant = z.infer<typeof RelayGrantSchema>;
/** No relay: a server without one, an older server, or no server at all. */
export const NO_RELAY: RelayGrant = { ice_servers: [], ttl: DEFAULT_RELAY_TTL_SECONDS };
