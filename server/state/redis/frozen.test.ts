/**
 * A Redis that stops answering without closing its connections (hung, or behind a network
 * that drops packets; here redis-server under SIGSTOP): a change is answered `unavailable`
 * within seconds, as when Redis is down, where it used to wait unanswered for as long as
 * Redis did (the app gives up after 10 s, not knowing). Once Redis answers again the server
 * and Redis agree on the party, whether the late commit took effect or not.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { delay, hostParty, httpGet, peerDict } from '../../test-util/support';
import { RedisProcesses } from '../../test-util/redis-processes';

const rig = new RedisProcesses('lanrage-redis-frozen-');

beforeEach(() => rig.start(), 20_000);
afterEach(async () => {
  rig.redis.freeze(false);
  await rig.cleanup();
});

const members = (frame: Record<string, unknown>): string[] =>
  Object.keys((frame.party as { peers: object }).peers).sort();

it('a frozen Redis: changes are answered unavailable within seconds; thawed, all agree', async () => {
  const a = await rig.server('a');
  const host = await rig.client(a.url);
  await hostParty(host, 'party_p1', 'h');
  const guest = await rig.client(a.url);
  const guestToken = await guest.hello();
  rig.redis.freeze();
  const asked = performance.now();
  const answer = await guest.request(
    { type: 'join_party', party_id: 'party_p1', peer: peerDict('g') },
    9000,
  );
  expect(answer).toMatchObject({ type: 'error', code: 'unavailable' });
  expect(performance.now() - asked).toBeLessThan(8000);
  expect(a.stderr()).toMatch(/Redis did not answer the commit within 5000 ms/);
  // Meanwhile nothing more is sent to it: the next change fails at once.
  const other = await rig.client(a.url);
  await other.hello();
  const next = await other.request({
    type: 'join_party',
    party_id: 'party_p1',
    peer: peerDict('o'),
  });
  expect(next).toMatchObject({ type: 'error', code: 'unavailable' });
  expect(a.child.exitCode).toBeNull();

  rig.redis.freeze(false);
  for (let i = 0; i < 100 && (await httpGet(a.port, '/readyz')).status !== 200; i++) {
    await delay(100);
  }
  // The server goes on writing the change it kept; a fresh server reads what Redis holds.
  await delay(2000);
  const mine = await host.request({ type: 'get_party', party_id: 'party_p1' });
  const fresh = await rig.server('fresh');
  const reader = await rig.client(fresh.url);
  await reader.hello(guestToken);
  const stored = await reader.request({ type: 'get_party', party_id: 'party_p1' });
  // `unavailable` means "may take effect": g's commit ran late; o's, made on the copy
  // without it, met a conflict and was read back without o. Either way, no two versions.
  expect(members(mine)).toEqual(expect.arrayContaining(['g', 'h']));
  expect(stored).toMatchObject({ type: 'party_update', seq: mine.seq });
  expect(members(stored)).toEqual(members(mine));
}, 40_000);

it('SIGTERM with a frozen Redis: clients are told to reconnect and the process exits', async () => {
  const a = await rig.server('a');
  const host = await rig.client(a.url);
  await hostParty(host, 'party_p1', 'h');
  await host.request({ type: 'heartbeat', party_id: 'party_p1', peer_id: 'h' });
  rig.redis.freeze();
  await delay(500);
  const stopped = performance.now();
  a.child.kill('SIGTERM');
  expect(await host.closed).toBe(1012);
  const code = await Promise.race([a.exited, delay(15_000).then(() => 'still running')]);
  expect(code).toBe(0);
  expect(performance.now() - stopped).toBeLessThan(12_000);
}, 40_000);
