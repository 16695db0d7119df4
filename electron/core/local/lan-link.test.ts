/**
 * What the app's engine makes of a LAN host's TLS: a link that had to fall back to the
 * host's plain port is said in the status (the window shows it), and cleared with the link.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../shared/clock';
import { silentLogger } from '../../../shared/logger';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { PartyInfo } from '../../../shared/model';
import { WS_PATH } from '../../../shared/protocol';
import { freeTcpPort } from '../../../server/test-util/ports';
import { Config } from '../config/config';
import { makeLanCertificate } from '../identity/lan-certificate';
import { WsClient } from '../remote/ws-client';
import { embeddedOptions } from '../test-util/embedded-options';
import { makePeer } from '../test-util/fixtures';
import { localEnv } from '../test-util/local-plane';
import { peerDict } from '../test-util/scripted-server';
import { makeTempDir } from '../test-util/temp-dir';
import { waitFor } from '../test-util/child-process';
import { LocalControlPlane } from './control-plane';
import { EmbeddedServer } from './embedded-server';

const PARTY = 'party_lan_link_01';
let temp: ReturnType<typeof makeTempDir>;
const closers: (() => unknown)[] = [];

beforeEach(() => {
  temp = makeTempDir('lanrage-lan-link-');
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  temp.cleanup();
});

/** A LAN host's embedded server (TLS beside plain ws) holding PARTY, hosted by `ph`. */
async function lanHost(): Promise<EmbeddedServer> {
  const tls = makeLanCertificate(new Date());
  const file = `${temp.dir}/host.json`;
  const server = await EmbeddedServer.start(embeddedOptions(file, { host: '0.0.0.0', tls }));
  closers.push(() => server.close());
  const host = await WsClient.connect(server.url, {
    clock: systemClock,
    logger: silentLogger,
    connectTimeoutMs: 3000,
    requestTimeoutMs: 5000,
    onPush: () => {},
    onClose: () => {},
  });
  closers.push(() => host.close());
  await host.request({ type: 'hello', version: '1.2', client: 'lanrage' });
  const host_peer = peerDict('ph');
  await host.request({ type: 'register_party', party_id: PARTY, name: 'LAN', host_peer });
  return server;
}

/** The URL the LAN bridge makes of the host's announcement, its TLS port given. */
function pinnedUrl(server: EmbeddedServer, tlsPort = server.tls!.port): string {
  const query = `pin=${server.tls!.sha256}&plain=${server.port}`;
  return `wss://127.0.0.1:${tlsPort}${WS_PATH}?${query}`;
}

/** Our app without a server, finding PARTY on the LAN at `url` (as mDNS would have it). */
async function guestOnLan(url: string): Promise<LocalControlPlane> {
  const config = Config.load({ env: localEnv(temp.dir, 'guest') });
  const p = new LocalControlPlane(config, { saveDelayMs: 5, logger: new MemoryLogger() });
  closers.push(() => p.close());
  await p.initialize();
  const fields = { partyId: PARTY, name: 'LAN', hostId: '', createdAt: new Date(0) };
  const party = new PartyInfo({ ...fields, peers: new Map() });
  const host = { party, controlUrl: url, hostPid: 0, hostInstance: 'lan-host' };
  p.hosting.addSource({ hosts: () => new Map([[PARTY, host]]), onChange: () => () => {} });
  return p;
}

describe("the link to a LAN party's host", () => {
  it('over its TLS port is not said to be plain', async () => {
    const server = await lanHost();
    const guest = await guestOnLan(pinnedUrl(server));
    await guest.joinParty(PARTY, makePeer('pg'));
    expect(guest.status().plainLink).not.toBe(true);
  });

  it('fallen back to its plain port is said so while it lasts', async () => {
    const server = await lanHost();
    const guest = await guestOnLan(pinnedUrl(server, await freeTcpPort()));
    await guest.joinParty(PARTY, makePeer('pg'));
    expect(guest.status().plainLink).toBe(true);
    await server.close();
    await waitFor(() => guest.status().plainLink === false, 5000);
  });
});
