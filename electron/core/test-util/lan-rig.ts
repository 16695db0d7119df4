/**
 * A LAN seen by a guest's engine (lan-link tests): hosts' embedded servers holding PARTY over
 * TLS, relays in front of their ports, and a guest finding PARTY where the test says it is
 * announced, as mDNS would have it. `useLanRig()` makes a temp dir and closes all after each.
 */
import { afterEach, beforeEach } from 'vitest';
import { systemClock } from '../../../shared/time/clock';
import { silentLogger } from '../../../shared/logger';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { PartyInfo } from '../../../shared/model';
import { WS_PATH } from '../../../shared/protocol/protocol';
import { Config } from '../config/config';
import type { IdentitySigner } from '../identity/identity-key';
import { makeLanCertificate } from '../identity/lan-certificate';
import { LocalControlPlane } from '../local/control-plane';
import { EmbeddedServer } from '../hosting/embedded/embedded-server';
import type { Report } from '../notices';
import type { RemoteControlPlaneOptions } from '../client/options';
import { WsClient } from '../client/link/ws-client';
import { embeddedOptions } from './embedded-options';
import { localEnv } from './local-plane';
import { peerDict } from './scripted-server';
import { tcpTap, type TcpTap } from './tcp-tap';
import { makeTempDir } from './temp-dir';

export const PARTY = 'party_lan_link_01';

/** The test's temp dir, and what to close after it (last first). */
export const rig = { dir: '', closers: [] as (() => unknown)[] };

/** Sets the rig up before each test of the calling file and closes it after. */
export function useLanRig(): void {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir('lanrage-lan-link-');
    rig.dir = temp.dir;
  });
  afterEach(async () => {
    for (const close of rig.closers.splice(0).reverse()) await close();
    temp.cleanup();
  });
}

/**
 * A LAN host's embedded server (TLS beside plain ws, unless `plainOnly`) holding PARTY,
 * hosted by `ph`.
 */
export async function lanHost(
  name = 'host',
  plainOnly = false,
  tls = makeLanCertificate(new Date()),
): Promise<EmbeddedServer> {
  const file = `${rig.dir}/${name}.json`;
  const where = plainOnly ? { host: '127.0.0.1' } : { host: '0.0.0.0', tls };
  const server = await EmbeddedServer.start(embeddedOptions(file, where));
  rig.closers.push(() => server.close());
  const host = await WsClient.connect(server.url, {
    clock: systemClock,
    logger: silentLogger,
    connectTimeoutMs: 3000,
    requestTimeoutMs: 5000,
    onPush: () => {},
    onClose: () => {},
  });
  rig.closers.push(() => host.close());
  await host.request({ type: 'hello', version: '1.2', client: 'lanrage' });
  const host_peer = peerDict('ph');
  await host.request({ type: 'register_party', party_id: PARTY, name: 'LAN', host_peer });
  return server;
}

/** The URL the LAN bridge makes of the host's announcement, its TLS port given. */
export function pinnedUrl(server: EmbeddedServer, tlsPort = server.tls!.port, plain = server.port) {
  const query = `pin=${server.tls!.sha256}&plain=${plain}`;
  return `wss://127.0.0.1:${tlsPort}${WS_PATH}?${query}`;
}

/** A relay in front of `port`, closed after the test. */
export async function tapped(port: number, at = 0): Promise<TcpTap> {
  const tap = await tcpTap(port, at);
  rig.closers.push(() => tap.close());
  return tap;
}

/**
 * Our app without a server, finding PARTY on the LAN where `lan.url` says (as mDNS would
 * have it; the test may change it).
 */
export async function guestOnLan(
  lan: Lan,
  options: {
    logger?: MemoryLogger;
    identity?: IdentitySigner;
    report?: Report;
    connectTimeoutMs?: number;
    addressRank?: (address: string) => number | null;
    atWatch?: RemoteControlPlaneOptions['atWatch'];
  } = {},
) {
  const config = Config.load({ env: localEnv(rig.dir, 'guest') });
  const logger = options.logger ?? new MemoryLogger();
  const p = new LocalControlPlane(config, { saveDelayMs: 5, ...options, logger });
  rig.closers.push(() => p.close());
  await p.initialize();
  const fields = { partyId: PARTY, hostId: '', createdAt: new Date(0), peers: new Map() };
  const partyAt = (url: string) => new PartyInfo({ ...fields, name: lan.names?.[url] ?? 'LAN' });
  const at = (controlUrl: string) => ({
    party: partyAt(controlUrl),
    controlUrl,
    announced: { host_name: 'Pat', peer_count: 1, max_peers: 8 },
    hostPid: 0,
    hostInstance: controlUrl,
  });
  const onChange = (listener: () => void) => {
    lan.announce = listener;
    return () => undefined;
  };
  // Claimed from elsewhere too, it is listed nowhere (rival-claims.test.ts), only claimed.
  const hosts = () => new Map(lan.rivals?.length || lan.gone ? [] : [[PARTY, at(lan.url)]]);
  const claims = (id: string) =>
    id === PARTY && !lan.gone ? [lan.url, ...(lan.rivals ?? [])].map(at) : [];
  const ask = lan.asked;
  p.hosting.addSource({ hosts, claims, onChange, ...(ask ? { ask } : {}) });
  return p;
}

/**
 * Where PARTY is announced, and by whom else (`rivals`); `announce` tells the guest it
 * changed (set by guestOnLan).
 */
export interface Lan {
  url: string;
  rivals?: string[];
  /** The party's name as announced at a URL (default: LAN). */
  names?: Record<string, string>;
  /** Announced no more (its host's announcement expired). */
  gone?: boolean;
  announce?: () => void;
  /** Called when the guest asks the network (an mDNS browse query); absent: it cannot ask. */
  asked?: () => void;
}
