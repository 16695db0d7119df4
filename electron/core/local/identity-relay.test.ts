/**
 * A hostile host passes on a real server's challenge: our app, joining what it takes for
 * the hostile host's party (a LAN party announced under a real one's id at another address,
 * say), signs that challenge, and the hostile host says hello with the proof to the real
 * server, which must not take it for us (protocol 1.7's audience).
 */
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { PartyInfo } from '../../../shared/model';
import { WS_PATH } from '../../../shared/protocol/protocol';
import { Config } from '../config/config';
import { newIdentitySeed, signerFromSeed } from '../identity/identity-key';
import type { RemoteControlPlane } from '../remote/control-plane';
import { makePeer } from '../test-util/fixtures';
import { localEnv } from '../test-util/local-plane';
import { startMemoryServer } from '../test-util/memory-server';
import { testRemotePlane } from '../test-util/remote-plane';
import { makeTempDir } from '../test-util/temp-dir';
import { LocalControlPlane } from './control-plane';
import { EmbeddedServer } from '../hosting/embedded/embedded-server';
import { embeddedOptions } from '../test-util/embedded-options';

const PARTY = 'party_relayed_01';
let temp: ReturnType<typeof makeTempDir>;
const closers: (() => unknown)[] = [];

beforeEach(() => {
  temp = makeTempDir('lanrage-relay-');
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  temp.cleanup();
});

async function embeddedHost(): Promise<string> {
  const host = await EmbeddedServer.start(embeddedOptions(`${temp.dir}/local_server.json`));
  closers.push(() => host.close());
  return host.url;
}

/** Our app on `url` as its configured server, its identity key from `seed`, as `pv`. */
function remote(name: string, url: string, seed: string): RemoteControlPlane {
  const identity = signerFromSeed(seed)!;
  const p = testRemotePlane(temp.dir, name, url, { identity, maxReconnectAttempts: 1 });
  closers.push(() => p.close());
  p.myPeerId = 'pv';
  return p;
}

/** Our app without a server, finding PARTY on the LAN at `url` (as mDNS would have it). */
async function onLan(url: string, seed: string): Promise<LocalControlPlane> {
  const config = Config.load({ env: localEnv(temp.dir, 'lan') });
  const p = new LocalControlPlane(config, { identity: signerFromSeed(seed)!, saveDelayMs: 5 });
  closers.push(() => p.close());
  await p.initialize();
  const fields = { partyId: PARTY, name: 'Real', hostId: '', createdAt: new Date(0) };
  const party = new PartyInfo({ ...fields, peers: new Map() });
  const host = { party, controlUrl: url, hostPid: 0, hostInstance: 'lan-host' };
  p.hosting.addSource({ hosts: () => new Map([[PARTY, host]]), onChange: () => () => {} });
  return p;
}

/**
 * The hostile host, on another loopback address: passes every frame between the app and
 * `target` (adding `audience: true` to the challenge if `askAudience`); once `target`
 * answers the app's hello, it leaves PARTY as the app. Resolves with `target`'s answer to
 * that leave, or to the hello if it refused it.
 */
async function hostile(target: string, askAudience = false) {
  const wss = new WebSocketServer({ host: '127.0.0.2', port: 0, path: WS_PATH });
  await new Promise((done) => wss.once('listening', done));
  closers.push(() => {
    for (const client of wss.clients) client.terminate();
    return new Promise((done) => wss.close(done));
  });
  const outcome = new Promise<Record<string, unknown>>((resolve) => {
    wss.once('connection', (app) => {
      const real = new WebSocket(target);
      closers.push(() => real.terminate());
      real.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString()) as Record<string, unknown>;
        if (frame.request_id === 'evil' || frame.type === 'error') return resolve(frame);
        if (frame.type === 'welcome') {
          const leave = { type: 'leave_party', party_id: PARTY, peer_id: 'pv' };
          real.send(JSON.stringify({ ...leave, request_id: 'evil' }));
        }
        const forged = frame.type === 'challenge' && askAudience;
        app.send(forged ? JSON.stringify({ ...frame, audience: true }) : data.toString());
      });
      app.on('message', (data: Buffer) => real.send(data.toString()));
    });
  });
  const { port } = wss.address() as AddressInfo;
  return { url: `ws://127.0.0.2:${port}${WS_PATH}`, outcome };
}

/** The app's key holds `pv` in PARTY on the server at `url`. */
async function memberOn(url: string, seed: string): Promise<void> {
  const member = remote('v', url, seed);
  await member.initialize();
  await member.registerParty(PARTY, 'Real', makePeer('pv'));
}

describe('a hostile host passing on a real server’s challenge', () => {
  it('cannot act as us on a LAN host (an embedded server) with our proof', async () => {
    const seed = newIdentitySeed();
    const real = await embeddedHost();
    await memberOn(real, seed);
    const relay = await hostile(real);
    // Saying hello is all it takes: the app then fails to link, and retries later.
    void remote('v2', relay.url, seed).initialize();
    expect(await relay.outcome).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('a LAN host gets no proof of a challenge that asks no audience (a standalone server’s)', async () => {
    const seed = newIdentitySeed();
    const server = await startMemoryServer();
    closers.push(() => server.close());
    await memberOn(server.url, seed);
    const relay = await hostile(server.url);
    const lan = await onLan(relay.url, seed);
    void lan.joinParty(PARTY, makePeer('pv')).catch(() => undefined);
    // Welcomed without an identity: `pv` is still the app's, not this connection's.
    expect(await relay.outcome).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('nor can it use one got by adding the request for an audience to that challenge', async () => {
    const seed = newIdentitySeed();
    const server = await startMemoryServer();
    closers.push(() => server.close());
    await memberOn(server.url, seed);
    const relay = await hostile(server.url, true);
    const lan = await onLan(relay.url, seed);
    void lan.joinParty(PARTY, makePeer('pv')).catch(() => undefined);
    const answer = await relay.outcome;
    expect(answer).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(answer.request_id).not.toBe('evil'); // the hello itself was refused
  });
});
