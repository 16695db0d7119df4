/**
 * What a party hosted on the LAN tells everyone on it (DNS-SD over multicast DNS): its
 * public summary, the same facts a stranger may see of any party (who may join included, so a
 * joiner is asked for a password before trying without one). Nothing secret travels
 * here: no member addresses, keys or tokens; where to connect is the SRV record's port and
 * the answer's source address. Everything read from the network goes through this schema.
 */
import { z } from 'zod';
import { PartyIdSchema } from './values/ids';
import { NameSchema } from './values/names';
import { ListeningPortTextSchema, MAX_PORT } from './values/port';
import { JoinPolicySchema, MAX_PEERS_PER_PARTY } from './party/settings';

/** The DNS-SD service type LANrage parties are advertised under (RFC 6763). */
export const LAN_SERVICE_TYPE = '_lanrage._tcp';

const count = (min: number) =>
  z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(MAX_PEERS_PER_PARTY));

/** A certificate's pin: base64url of its SHA-256, unpadded. */
export const CertificatePinSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url SHA-256');

/** At most this many host addresses in a LAN invite link (`at=`): a PC on a few networks. */
export const MAX_HOST_ADDRESSES = 4;

/**
 * The four numbers of a dotted IPv4 address, each written as a browser or `ip addr` writes
 * it (no leading zero: "010" is octal to some readers and decimal to others); else null.
 */
export function ipv4Octets(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part))) return null;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : null;
}

/**
 * Where a LAN party's host answers over TLS, as its invite link names it
 * (`at=10.0.0.5:8669`): an IPv4 unicast address (not 0.x, multicast or above) and a
 * listening port. Loopback is taken: it reaches only this PC, and like any address it is
 * dialled only to be shown the certificate the link's pin names (an `at` without one is
 * refused: shared/invite.ts).
 */
export const HostAddressSchema = z
  .string()
  .max('255.255.255.255:65535'.length)
  .refine((text) => {
    const [address = '', port = '', ...more] = text.split(':');
    const first = ipv4Octets(address)?.[0];
    const listening = /^[1-9]\d{0,4}$/.test(port) && Number(port) <= MAX_PORT;
    return more.length === 0 && first !== undefined && first > 0 && first < 224 && listening;
  }, 'must be an IPv4 unicast address and a port, as 10.0.0.5:8669');

/** A link's `at`: a few of those, at least one. */
export const HostAddressesSchema = z.array(HostAddressSchema).min(1).max(MAX_HOST_ADDRESSES);

/**
 * A summary as TXT carries it: every value is text. `port` is the host's control-server
 * port (also in SRV); `protocol` is the control protocol's major.minor version. `tls_port`
 * and `tls_sha256`, together or not at all, say where the same server answers over TLS and
 * the certificate it shows there (hosts before them send neither).
 */
export const LanPartyTxtSchema = z
  .object({
    party_id: PartyIdSchema,
    name: NameSchema,
    host_name: NameSchema,
    peer_count: count(0),
    /** Members online now, by the host's server; hosts before it was added send none. */
    online_count: count(0).optional(),
    max_peers: count(1),
    /**
     * Who may join (never the password): a joiner's dialog asks for a password up front.
     * Hosts before it send none, and a policy this version does not know (a later one's)
     * reads as none: refusing the record would hide that host's party from this version.
     */
    join_policy: JoinPolicySchema.optional().catch(undefined),
    protocol: z.string().regex(/^\d{1,3}\.\d{1,3}$/, 'must be major.minor'),
    port: ListeningPortTextSchema,
    tls_port: ListeningPortTextSchema.optional(),
    tls_sha256: CertificatePinSchema.optional(),
  })
  .refine((txt) => (txt.tls_port === undefined) === (txt.tls_sha256 === undefined), {
    message: 'tls_port and tls_sha256 come together',
    path: ['tls_sha256'],
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
  'join_policy',
  'protocol',
  'port',
  'tls_port',
  'tls_sha256',
] as const satisfies readonly (keyof LanPartySummary)[];
