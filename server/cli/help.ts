/**
 * `--help`: every flag of CliArgsSchema with what it sets and its default, read from the
 * schema itself (a flag without words here does not compile), so help and parser agree.
 */
import { DEFAULT_RELAY_TTL_SECONDS } from '../../shared/protocol/relay';
import { CliArgsSchema } from './args';
import { envName } from './env-flags';
import { DEFAULT_ADMIN_URL } from './admin-command';

type Flag = keyof typeof CliArgsSchema.shape;

const WORDS: Record<Flag, [value: string, what: string]> = {
  host: ['H', 'address to listen on (0.0.0.0: every interface)'],
  port: ['P', 'port to listen on (0: a free one)'],
  'data-dir': ['DIR', 'SQLite data folder (default $LANRAGE_HOME/server, ~/.lanrage/server)'],
  redis: ['URL', 'state in Redis (redis://host:6379), shared by every server using it'],
  'redis-password-file': ['FILE', "Redis's password (mode 600), not in the URL: kept out of ps"],
  'tls-cert': ['FILE', 'PEM certificate (with --tls-key): serve wss:// and https://'],
  'tls-key': ['FILE', 'PEM private key (with --tls-cert)'],
  'admin-token-file': ['FILE', 'secret (mode 600, 32+ chars) for the /admin/ moderation API'],
  'metrics-token-file': ['FILE', 'secret (mode 600, 32+ chars) /metrics asks for as a bearer'],
  'turn-url': ['URLS', 'TURN relay for voice and screen (turn:host:3478), comma-separated'],
  'turn-secret-file': ['FILE', "the relay's static-auth-secret (mode 600, 32+ chars)"],
  // No schema default, so that --turn-ttl alone is refused: its default said here.
  'turn-ttl': [
    'S',
    `how long a member's relay credentials last; default ${DEFAULT_RELAY_TTL_SECONDS}`,
  ],
  'public-url': ['URL', 'where browsers reach this server, for invite web links'],
  'trusted-proxy': ['CIDRS', 'TCP balancers sending a PROXY header: limits count its client'],
  'log-level': ['L', 'debug, info, warn, error or silent'],
  'heartbeat-interval': ['S', 'heartbeat period announced to clients'],
  'peer-timeout': ['S', 'a member not heard from this long is removed'],
  'sweep-interval': ['S', 'how often silent members are swept'],
  'rate-limit': ['N', 'messages per second per connection, burst 2N (0: off)'],
  'rate-limit-per-ip': ['N', 'messages per second per address, +1 per KiB, burst 4N (0: off)'],
  'max-connections': ['N', 'WebSocket connections held at once'],
  'max-connections-per-ip': ['N', 'sockets one address (IPv6: one /64) may hold'],
  'hello-timeout': ['S', 'a connection must say hello by then (0: off)'],
  'cut-backoff': ['S', 'refusal after a cut for not reading, doubling (0: off)'],
  'handshake-timeout': ['S', 'a socket must finish its HTTP upgrade by then'],
  'max-unsent-kib': ['N', 'KiB queued for a client that does not read before it is cut'],
  'max-parties-per-peer': ['N', 'parties one peer id may host at once (0: off)'],
  'max-parties-per-ip': ['N', 'parties created from one address that may exist (0: off)'],
  'parties-per-minute': ['N', 'party creations per address per minute (0: off)'],
  'peer-ids-per-minute': ['N', 'new peer ids bound to a key, per address per minute (0: off)'],
  'joins-per-minute': ['N', 'joins, leaves and going_to_sleep per connection per minute (0: off)'],
  'update-interval': ['S', "a peer's update_peer applied at most once per interval"],
  'snapshot-kib-per-second': ['N', 'party snapshots per connection, KiB/s'],
  'snapshot-kib-per-second-per-ip': ['N', 'party snapshots per address, KiB/s'],
  'signal-kib-per-second': ['N', 'signal data one peer may send another, KiB/s'],
  'on-corrupt': ['P', 'a corrupt database: set-aside or refuse'],
  'commits-on-loop': ['M', 'auto or off: commits on the event loop while it is idle'],
};

export function serverHelp(): string {
  const defaults = CliArgsSchema.parse({}) as Partial<Record<Flag, string | number>>;
  const rows = (Object.keys(WORDS) as Flag[]).map((flag) => {
    const [value, what] = WORDS[flag];
    const given = defaults[flag];
    const shown = given === undefined ? '' : `; default ${String(given)}`;
    return `  --${`${flag} ${value}`.padEnd(34)}${what}${shown}`;
  });
  return [
    'usage: npm run server -- [options]         (a built server: node cli.js [options])',
    '       npm run server -- backup FILE [--data-dir DIR]',
    '       npm run server -- admin parties [--url URL] --token-file FILE',
    '       npm run server -- admin end-party PARTY_ID [--url URL] --token-file FILE',
    '         (the moderation API of a server started with --admin-token-file;',
    `          --url defaults to ${DEFAULT_ADMIN_URL}, or the server of this`,
    `          environment's ${envName('port')}, ${envName('host')} and ${envName('tls-cert')})`,
    '',
    ...rows,
    '',
    `Each flag may be set in the environment instead, --max-unsent-kib as`,
    `${envName('max-unsent-kib')} (an empty one is unset; a flag given wins).`,
    'Ctrl-C or SIGTERM drains: clients are told to reconnect (1012). See the README.',
  ].join('\n');
}
