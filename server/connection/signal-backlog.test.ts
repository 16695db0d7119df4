import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { NO_QUOTAS } from '../admission/quotas';
import { SIGNAL_BACKLOG_BYTES } from './connection';
import { TestRig, delay, peerDict, type RawClient } from '../test-util/support';

const rig = new TestRig();
/** Clients whose socket a test paused: one never reads the close handshake, so it is cut. */
const paused: RawClient[] = [];
afterEach(async () => {
  for (const c of paused.splice(0)) c.ws.terminate();
  await rig.cleanup();
});

const PARTY = 'party_backlog_x';
/** A big offer: ~60 KB written out, under the 64 KiB a frame may be. */
const OFFER = { voice: { kind: 'offer', sdp: 's'.repeat(60_000) } };
/** Rounds of one signal from each sender: far more than the kernel's buffers hold. */
const MAX_ROUNDS = 400;

/** 'open', or the HTTP status the upgrade was refused with. */
function upgrade(url: string, localAddress: string): Promise<number | 'open'> {
  const ws = new WebSocket(url, { localAddress });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

async function member(peerId: string, localAddress: string): Promise<RawClient> {
  const c = await rig.connect(undefined, localAddress);
  await c.hello();
  await c.request({ type: 'join_party', party_id: PARTY, peer: peerDict(peerId) });
  return c;
}

/** Each sender signals `to` once a round until one is answered other than `ack`. */
async function signalUntilRefused(senders: RawClient[], to: string) {
  let acks = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const answers = await Promise.all(
      senders.map((s, i) =>
        s.request({
          type: 'signal',
          party_id: PARTY,
          from_peer_id: `s${i}`,
          to_peer_id: to,
          signal_data: OFFER,
        }),
      ),
    );
    acks += answers.filter((a) => a.type === 'ack').length;
    const refusal = answers.find((a) => a.type !== 'ack');
    if (refusal) return { acks, refusal };
  }
  return { acks, refusal: null };
}

describe('a relayed signal never costs its recipient the connection', () => {
  it('refuses signals to a member who stopped reading, which stays connected', async () => {
    const { url } = await rig.start({
      rateLimit: null,
      quotas: { ...NO_QUOTAS, signalBytesPerSecond: 4 * 1024 * 1024 },
      admission: { cutBackoffMs: 60_000 },
    });
    const host = await rig.connect();
    await host.hello();
    await host.request({
      type: 'register_party',
      party_id: PARTY,
      name: 'P',
      host_peer: peerDict('h'),
    });
    const victim = await member('v', '127.0.0.7');
    const senders: RawClient[] = [];
    for (let i = 0; i < 6; i++) senders.push(await member(`s${i}`, `127.0.0.${11 + (i % 3)}`));
    await delay(100);
    victim.received.length = 0;
    // The kernel's buffers fill first, then what the server holds for the victim grows.
    const socket = (victim.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    paused.push(victim);
    const { acks, refusal } = await signalUntilRefused(senders, 'v');
    expect(refusal).toMatchObject({ type: 'error', code: 'rate_limited' });
    expect(refusal!.message).toMatch(/v has not yet read what it was sent/);
    const { presence } = rig.server!.context;
    expect(presence.isConnected('v')).toBe(true);
    const route = presence.routeOf('v')!;
    const buffered = (Reflect.get(route, 'ws') as WebSocket).bufferedAmount;
    expect(buffered).toBeLessThanOrEqual(SIGNAL_BACKLOG_BYTES);
    expect(await upgrade(url, '127.0.0.7')).toBe('open');
    // A party event still goes to the victim, past the signals' bound.
    await member('late', '127.0.0.20');
    socket.resume();
    const joined = await victim.nextOfType('peer_joined', 10_000);
    expect(joined).toMatchObject({ party_id: PARTY, peer: { peer_id: 'late' } });
    // Every signal acknowledged was delivered.
    await victim.request({ type: 'heartbeat', party_id: PARTY, peer_id: 'v' }, 10_000);
    expect(victim.received.filter((f) => f.type === 'signal')).toHaveLength(acks);
    expect(victim.closeCode).toBeNull();
  }, 60_000);
});
