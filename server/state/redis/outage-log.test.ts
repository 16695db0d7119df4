/**
 * What the log says while Redis is away (real redis-server, real server process): the outage
 * once, not one ioredis line ("Stream isn't writeable and enableOfflineQueue options is
 * false") per request naming a party the server does not hold, which any client could send.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { delay, hostParty, peerDict } from '../../test-util/support';
import { RedisProcesses } from '../../test-util/redis-processes';

const rig = new RedisProcesses('lanrage-redis-outage-');
beforeEach(() => rig.start(), 20_000);
afterEach(() => rig.cleanup());

it('while Redis is away, requests for unknown parties add no log line each', async () => {
  const a = await rig.server('a');
  const c = await rig.client(a.url);
  await c.hello();
  await rig.redis.stop('SIGKILL');
  await delay(500);
  for (let i = 0; i < 10; i++) {
    const answer = await c.request({
      type: 'join_party',
      party_id: `party_nowhere${i}`,
      peer: peerDict('p'),
    });
    expect(answer.type).toBe('error');
  }
  await delay(300);
  const log = a.stderr();
  expect(log).toMatch(/Redis \(lanrage-store\): connect ECONNREFUSED/);
  expect(log).not.toMatch(/enableOfflineQueue/);
  expect(log.match(/Could not read parties back/g) ?? []).toEqual([]);
}, 30_000);

// It said "drained (…, the store flushed)" right after saying it stopped with changes unstored.
it('SIGTERM while Redis is away: the drained line says how many changes were not stored', async () => {
  const a = await rig.server('a');
  const host = await rig.client(a.url);
  await hostParty(host, 'party_p1', 'h');
  await rig.redis.stop('SIGKILL');
  await delay(300);
  const answer = await host.request({
    type: 'join_party',
    party_id: 'party_p1',
    peer: peerDict('h', { name: 'Renamed' }),
  });
  expect(answer).toMatchObject({ type: 'error', code: 'unavailable' });
  a.child.kill('SIGTERM');
  expect(await a.exited).toBe(0);
  const log = a.stderr();
  expect(log).toMatch(
    /"level":40,.*"msg":"SIGTERM: drained \(every client told to reconnect; the store did not take \d+ changes?, 1 party[^:]*: they are not stored\)"/,
  );
  expect(log).not.toContain('the store flushed');
}, 30_000);
