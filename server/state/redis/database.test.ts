/**
 * `--redis redis://host:port/N`: each database is a deployment of its own. A `/N` Redis
 * refuses stops the server (ioredis went on in database 0), and servers on two databases of
 * one Redis do not hear each other's changes (pub/sub is one namespace for all databases).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logger';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { delay, hostParty, TestRig } from '../../test-util/support';
import { RedisTestServer } from '../../test-util/redis-server';
import { openRedisBackend } from './backend';
import { changesChannel } from './database';

let redis: RedisTestServer;
const rigs = [new TestRig(), new TestRig(), new TestRig()];
beforeAll(async () => {
  redis = await RedisTestServer.start();
}, 20_000);
afterEach(async () => {
  for (const rig of rigs) await rig.cleanup();
});
afterAll(() => redis.cleanup());

const serverOn = async (rig: TestRig, db: number) =>
  rig.start({ backend: await openRedisBackend(`${redis.url}/${db}`, silentLogger) });

describe('--redis with a database number', () => {
  it('refuses a database Redis does not have, naming it, and logs nothing before', async () => {
    const log = new MemoryLogger();
    await expect(openRedisBackend(`${redis.url}/99`, log)).rejects.toThrow(
      `cannot use database 99 of Redis at 127.0.0.1:${redis.port}: ERR DB index is out of range`,
    );
    // It logged the refusal as a warning, then "Redis … is back", before the error said it.
    expect(log.lines).toEqual([]);
  });

  it('keeps two databases apart; two servers on one still share its parties', async () => {
    const [one, alsoOne, two] = [
      await serverOn(rigs[0]!, 1),
      await serverOn(rigs[1]!, 1),
      await serverOn(rigs[2]!, 2),
    ];
    await hostParty(await rigs[0]!.connect(), 'party_db_one', 'h');
    await delay(300);
    expect([...one.context.service.parties.keys()]).toEqual(['party_db_one']);
    expect([...alsoOne.context.service.parties.keys()]).toEqual(['party_db_one']);
    expect([...two.context.service.parties.keys()]).toEqual([]);
  });

  it('publishes database 0 on the channel it always had', () => {
    expect(changesChannel('lanrage:', 0)).toBe('lanrage:changes');
    expect(changesChannel('lanrage:', 3)).not.toBe('lanrage:changes');
  });
});
