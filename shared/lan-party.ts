/**
 * What a party hosted on the LAN tells everyone on it (DNS-SD over multicast DNS): its
 * public summary, the same facts a stranger may see of any party. Nothing secret travels
 * here: no member addresses, keys or tokens; where to connect is the SRV record's port and
 * the answer's source address. Everything read from the network goes through this schema.
 */
import { z } from 'zod';
import { PartyIdSchema } from './ids';
import { NameSchema } from './names';
import { PortTextSchema } from './port';
import { MAX_PEERS_PER_PARTY } from './party/settings';

/** The DNS-SD service type LANrage parties are advertised under (RFC 6763). */
export const LAN_SERVICE_TYPE = '_lanrage._tcp';

const count = (min: number) =>
  z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(MAX_PEERS_PER_PARTY));

/**
 * A summary as TXT carries it: every value is text. `port` is the host's control-server
 * port (also in SRV); `protocol` is the control protocol's major.minor version.
 */
export const LanPartyTxtSchema = z.object({
  party_id: PartyIdSchema,
  name: NameSchema,
  host_name: NameSchema,
  peer_count: count(0),
  /** Members online now, by the host's server; hosts before it was added send none. */
  online_count: count(0).optional(),
  max_peers: count(1),
  protocol: z.string().regex(/^\d{1,3}\.\d{1,3}$/, 'must be major.minor'),
  port: PortTextSchema.pipe(z.number().min(1, 'must not be 0')),
});
export type LanPartySummary = z.output<typeof LanPartyTxtSchema>;

/** The TXT keys, in the order they are written. */
export const LAN_TXT_KEYS = [
  'party_id',
  'name',
  'host_name',
  'peer_count',
  'online_count',
  'max_peers',
  'protocol',
  'port',
] as const satisfies readonly (keyof LanPartySummary)[];
