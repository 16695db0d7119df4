/**
 * Two servers on one Redis whose clocks disagree (a machine without NTP): each dates its
 * members' heartbeats by its own clock, and the one holding the sweep lock removes members
 * by its own. Published changes carry the sender's clock (`at`), so the sweeper reads the
 * other's times on its own clock: a member beating on the server 60 s behind stays, and one
 * that stopped beating on the server 60 s ahead goes after the timeout, not a minute later.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/time/clock';
import { delay, hostParty, peerDict, type RawClient } from '../test-util/support';
import { twoServersOnRedis } from './test-util/backend-cases';

const { backends, rigA, rigB } = twoServersOnRedis();
const TIMEOUT_MS = 2000;
const fast = { peerTimeoutMs: TIMEOUT_MS, sweepIntervalMs: 100, touchPersistMs: 50 };

/** A sweeps (it started first); B's clock is `skewMs` off. b joins the party through B. */
async function partyAcross(name: string, skewMs: number) {
  await rigA.start({ backend: await backends.redisBackend(name), ...fast });
  const clock = { ...systemClock, now: () => Date.now() + skewMs };
  await rigB.start({ backend: await backends.redisBackend(name), clock, ...fast });
  const host = await rigA.connect();
  await hostParty(host, 'party_c1', 'h');
  const b = await rigB.connect();
  await b.hello();
  await b.request({ type: 'join_party', party_id: 'party_c1', peer: peerDict('b') });
  return { host, b };
}

const beat = (c: RawClient, peerId: string) =>
  c.request({ type: 'heartbeat', party_id: 'party_c1', peer_id: peerId });

const members = async (c: RawClient): Promise<string[]> => {
  const answer = await c.request({ type: 'get_party', party_id: 'party_c1' });
  return Object.keys((answer.party as { peers: object }).peers).sort();
};

describe('two servers on one Redis, clocks a minute apart', () => {
  it('a member beating on the server behind the sweeper is not removed', async () => {
    const { host, b } = await partyAcross('behind', -60_000);
    const until = Date.now() + 2.5 * TIMEOUT_MS;
    while (Date.now() < until) {
      await Promise.all([beat(b, 'b'), beat(host, 'h')]);
      await delay(150);
    }
    expect(await members(host)).toEqual(['b', 'h']);
  }, 20_000);

  it('a member silent on the server ahead of the sweeper goes after the timeout', async () => {
    const { host, b } = await partyAcross('ahead', 60_000);
    await beat(b, 'b');
    const silentFrom = Date.now();
    while ((await members(host)).includes('b')) {
      expect(Date.now() - silentFrom).toBeLessThan(TIMEOUT_MS + 3000);
      await beat(host, 'h');
      await delay(100);
    }
  }, 20_000);
});
