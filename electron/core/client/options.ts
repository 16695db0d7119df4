/**
 * How a plane that is a server's client is tuned: RemoteControlPlane, and LocalControlPlane
 * (whose options are the same); every field has the spec's (or a documented) default.
 */
import type { ControlPlaneOptions } from '../plane-state';
import type { IdentitySigner } from '../identity/identity-key';
import type { Liveness } from './link/link-liveness';
import type { Clock } from '../../../shared/time/clock';

export interface RemoteControlPlaneOptions extends ControlPlaneOptions {
  /** Between reconnect attempts and background probes (default: the spec's 5 s). */
  reconnectDelayMs?: number;
  maxReconnectAttempts?: number;
  /** Default: the spec's 10 s. */
  connectTimeoutMs?: number;
  /** How long a request waits for its answer (default 10 s). */
  requestTimeoutMs?: number;
  /** How long the server has to answer hello (default HELLO_TIMEOUT_MS, answers.ts). */
  helloTimeoutMs?: number;
  /** When a silent link is pinged and when it is taken as lost (default DEFAULT_LIVENESS). */
  liveness?: Liveness;
  /**
   * TLS trust for a wss:// server (PEM), e.g. a self-signed test certificate. By default
   * Node's CA store is used (NODE_EXTRA_CA_CERTS adds to it).
   */
  ca?: string | Buffer;
  /** Safety-net poll of discovery.json beside fs.watch (default 2 s). */
  discoveryPollMs?: number;
  /** This installation's identity key: proves our peer ids to a 1.2 server (issue 10). */
  identity?: IdentitySigner;
  /** Whether this PC has an IPv4 address beyond loopback (default: its interfaces say). */
  hasLanAddress?: () => boolean;
  /** This PC's addresses its LAN invite links name (default: hosting/lan-addresses.ts). */
  hostAddresses?: (tlsPort: number) => string[];
  /** Which addresses a link may name, best first; null: never (default: lan-addresses.ts). */
  addressRank?: (address: string) => number | null;
  /** How parties left at a link's address are looked for there (hosting/at-watch.ts). */
  atWatch?: { clock?: Clock; everyMs?: number; forMs?: number };
}
