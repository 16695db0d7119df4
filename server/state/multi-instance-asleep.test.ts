/**
 * Protocol 1.12's `asleep` across two servers on one Redis: the other server hears `offline`
 * (what it fans out and what it keeps), as a server older than 1.12 sharing the store would
 * need, and `online` again at the sleeper's next beat.
 */
import { describe, expect, it } from 'vitest';
import { hostParty, peerDict, type RawClient } from '../test-util/support';
import { twoServersOnRedis } from './test-util/backend-cases';

const { backends, rigA, rigB } = twoServersOnRedis();
const P = 'party_nap2';

const hello112 = (c: RawClient) => c.request({ type: 'hello', version: '1.12', client: 'lanrage' });

const statusIn = async (c: RawClient, peerId: string): Promise<unknown> => {
  const snapshot = await c.request({ type: 'get_party', party_id: P });
  return (snapshot.presence as Record<string, { status: string }>)[peerId]?.status;
};

describe('two servers on one Redis', () => {
  it('a member asleep on one server is offline on the other, online again when it beats', async () => {
    await rigA.start({ backend: await backends.redisBackend('nap') });
    await rigB.start({ backend: await backends.redisBackend('nap') });
    const host = await rigA.connect();
    await hostParty(host, P, 'h');
    await hello112(host);
    const near = await rigB.connect();
    await hello112(near);
    await near.request({ type: 'join_party', party_id: P, peer: peerDict('n') });
    const sleeper = await rigB.connect();
    await hello112(sleeper);
    await sleeper.request({ type: 'join_party', party_id: P, peer: peerDict('s') });
    expect(
      await sleeper.request({ type: 'going_to_sleep', party_id: P, peer_id: 's' }),
    ).toMatchObject({ type: 'ack' });
    const isStatus =
      (status: string) => (f: { type?: unknown; peer_id?: unknown; status?: unknown }) =>
        f.type === 'peer_status' && f.peer_id === 's' && f.status === status;
    // Its own server tells its 1.12 member `asleep`; the other server says `offline`.
    await near.next(isStatus('asleep'), 2000);
    await host.next(isStatus('offline'), 2000);
    expect(await statusIn(near, 's')).toBe('asleep');
    expect(await statusIn(host, 's')).toBe('offline');
    await sleeper.request({ type: 'heartbeat', party_id: P, peer_id: 's' });
    await host.next(isStatus('online'), 2000);
    await near.next(isStatus('online'), 2000);
    expect(await statusIn(host, 's')).toBe('online');
  });
});
