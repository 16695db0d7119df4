/**
 * A Redis that is full (`maxmemory` reached with the default `noeviction`: it still answers
 * PING and reads, and refuses every write with "OOM command not allowed"): changes are answered
 * unavailable and kept, /readyz says 503 so a load balancer sends players elsewhere, the log
 * says so once, and once Redis has room again the held change is written and /readyz is 200
 * (the disk-full test reads the line that says commits work again: these servers log warnings).
 * A Redis made a read-only replica (a failover) refuses writes too, and is answered the same.
 * Real redis-server, real server process.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { delay, hostParty, httpGet, peerDict } from '../../test-util/support';
import { eventually } from '../../../shared/test-support/eventually';
import { RedisProcesses } from '../../test-util/redis-processes';
import { freeTcpPort } from '../../test-util/ports';

const rig = new RedisProcesses('lanrage-redis-full-');
let admin: Redis | null = null;
beforeEach(async () => {
  await rig.start();
  admin = new Redis(rig.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
}, 20_000);
afterEach(async () => {
  admin?.disconnect();
  admin = null;
  await rig.cleanup();
});

const failures = (log: string): number => log.match(/Storage commit failed/g)?.length ?? 0;

it('a full Redis: unavailable, not ready, logged once; with room again the held change lands', async () => {
  const server = await rig.server('a');
  const host = await rig.client(server.url);
  await hostParty(host, 'party_before_full', 'h');
  expect((await httpGet(server.port, '/readyz')).status).toBe(200);

  await admin!.config('SET', 'maxmemory', '1');
  for (let i = 0; i < 4; i++) {
    const answer = await host.request({
      type: 'join_party',
      party_id: 'party_before_full',
      peer: peerDict('g', { name: `Guest ${i}` }),
    });
    expect(answer).toMatchObject({ type: 'error', code: 'unavailable' });
  }
  const readyz = await httpGet(server.port, '/readyz');
  expect(readyz.status).toBe(503);
  expect(readyz.body).toBe('store refuses changes\n');
  await delay(2500); // two retries of the held change, a second apart
  expect(failures(server.stderr())).toBe(1);
  expect(server.stderr()).toMatch(/OOM command not allowed/);

  await admin!.config('SET', 'maxmemory', '0');
  await eventually(
    async () => (await httpGet(server.port, '/readyz')).status === 200,
    5000,
    'ready again',
    100,
  );
  // The held change was written: Redis holds the guest, and another instance serves it.
  const other = await rig.server('b');
  const watcher = await rig.client(other.url);
  await watcher.hello();
  const joined = await watcher.request({
    type: 'join_party',
    party_id: 'party_before_full',
    peer: peerDict('w'),
  });
  expect(joined.type).toBe('party_update');
  expect(Object.keys((joined.party as { peers: object }).peers).sort()).toEqual(['g', 'h', 'w']);
}, 40_000);

it('a Redis turned read-only replica by a failover: not ready until it takes writes again', async () => {
  const server = await rig.server('a');
  const host = await rig.client(server.url);
  await hostParty(host, 'party_before_failover', 'h');
  // A replica of a master that is not there: it keeps its data and refuses writes (READONLY).
  await admin!.call('REPLICAOF', '127.0.0.1', String(await freeTcpPort()));
  const answer = await host.request({
    type: 'join_party',
    party_id: 'party_before_failover',
    peer: peerDict('g'),
  });
  expect(answer).toMatchObject({ type: 'error', code: 'unavailable' });
  expect((await httpGet(server.port, '/readyz')).status).toBe(503);
  expect(server.stderr()).toMatch(/READONLY You can't write against a read only replica/);

  await admin!.call('REPLICAOF', 'NO', 'ONE');
  await eventually(
    async () => (await httpGet(server.port, '/readyz')).status === 200,
    5000,
    'ready again',
    100,
  );
  const again = await host.request({
    type: 'join_party',
    party_id: 'party_before_failover',
    peer: peerDict('g2'),
  });
  expect(again.type).toBe('party_update');
}, 40_000);
