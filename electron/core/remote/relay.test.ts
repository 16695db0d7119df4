/**
 * What the app takes of a server's `relay` answer (a scripted server on 127.0.0.1 that lies):
 * only turn: addresses, within the protocol's bounds, for the party asked about; an older
 * server that does not know `get_relay` means no relay.
 */
import { networkInterfaces } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_RELAY } from '../../../shared/protocol/relay';
import type { RemoteControlPlane } from './control-plane';
import { makePeer } from '../test-util/fixtures';
import { testRemotePlane } from '../test-util/remote-plane';
import { honestAnswer, ScriptedServer, type Request } from '../test-util/scripted-server';
import { makeTempDir } from '../test-util/temp-dir';

let server: ScriptedServer;
let temp: ReturnType<typeof makeTempDir>;
let plane: RemoteControlPlane | null = null;

beforeEach(async () => {
  temp = makeTempDir('lanrage-relay-answer-');
  server = await ScriptedServer.start();
});
afterEach(async () => {
  await plane?.close();
  plane = null;
  await server.close();
  temp.cleanup();
});

const GOOD = { urls: ['turn:relay.example.org:3478'], username: '1:me', credential: 'c2VjcmV0' };

/** In party p1 on a server answering `get_relay` with `relay` (the rest honestly). */
async function askedWith(relay: (r: Request) => object): Promise<RemoteControlPlane> {
  return askedAt(server, relay);
}

async function askedAt(server: ScriptedServer, relay: (r: Request) => object) {
  server.answer = (r: Request) =>
    r.type === 'get_relay' ? [{ ...relay(r), request_id: r.request_id }] : honestAnswer(r);
  plane = testRemotePlane(temp.dir, 'me', server.url, { requestTimeoutMs: 1000 });
  await plane.initialize();
  await plane.registerParty('p1', 'Mine', makePeer('me'));
  return plane;
}

/** A frame the protocol does not allow ends the link (ws-client.ts), and the request with it. */
const REFUSED_FRAME = {
  code: 'unavailable',
  message: expect.stringMatching(/^The control server sent/) as string,
};

const relayOf = (partyId: string, iceServers: object[]) => () => ({
  type: 'relay',
  party_id: partyId,
  ice_servers: iceServers,
  ttl: 600,
});

describe('the app reading a relay answer', () => {
  it('takes turn: relays for my party', async () => {
    const p = await askedWith(relayOf('p1', [GOOD]));
    expect(await p.getRelay('p1')).toEqual({ ice_servers: [GOOD], ttl: 600 });
  });

  it('takes relays on this PC from a server on this PC (an operator trying it out)', async () => {
    const here = { ...GOOD, urls: ['turn:127.0.0.1:3478', 'turn:[::1]:3478'] };
    const p = await askedWith(relayOf('p1', [here]));
    expect(await p.getRelay('p1')).toEqual({ ice_servers: [here], ttl: 600 });
  });

  it.each([
    ['a web address', { ...GOOD, urls: ['https://evil.example.org/'] }],
    ['a turn: address with a path', { ...GOOD, urls: ['turn:evil.example.org/x'] }],
    ['a user part', { ...GOOD, urls: ['turn:user@evil.example.org'] }],
    ['an oversized credential', { ...GOOD, credential: 'x'.repeat(257) }],
  ])('refuses %s', async (_what, iceServer) => {
    const p = await askedWith(relayOf('p1', [iceServer]));
    await expect(p.getRelay('p1')).rejects.toMatchObject(REFUSED_FRAME);
  });

  it('refuses an answer about another party, and more relays than a page tries', async () => {
    const other = await askedWith(relayOf('p2', [GOOD]));
    await expect(other.getRelay('p1')).rejects.toMatchObject({ code: 'bad_answer' });
    await other.close();
    const many = await askedWith(
      relayOf(
        'p1',
        Array.from({ length: 5 }, () => GOOD),
      ),
    );
    await expect(many.getRelay('p1')).rejects.toMatchObject(REFUSED_FRAME);
  });

  it('takes an older server refusing get_relay as having no relay', async () => {
    const p = await askedWith(() => ({ type: 'error', code: 'bad_request', message: 'Invalid' }));
    expect(await p.getRelay('p1')).toEqual(NO_RELAY);
  });

  it('drops relays on this PC, or link-local, from a server that is not on this PC', async () => {
    // This PC's first address beyond loopback (CI machines have one), where the server listens.
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((a) => a?.family === 'IPv4' && !a.internal)?.address;
    if (lan === undefined) return expect.fail('this test needs an IPv4 address beyond loopback');
    const away = await ScriptedServer.start(lan);
    try {
      const probes = ['turn:127.0.0.1:6379?transport=tcp', 'turn:169.254.169.254:80', 'turn:127.1'];
      const hostile = { ...GOOD, urls: [...probes, GOOD.urls[0]!] };
      const p = await askedAt(away, relayOf('p1', [hostile, { ...GOOD, urls: ['turn:[::1]'] }]));
      // Counted, so a panel left with none says they were too near (relay-words.ts).
      expect(await p.getRelay('p1')).toEqual({ ice_servers: [GOOD], ttl: 600, ignored: 4 });
    } finally {
      await plane?.close();
      plane = null;
      await away.close();
    }
  });
});
