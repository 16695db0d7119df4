/**
 * A Redis that comes back empty (restarted without its append-only file, or flushed) is said in
 * the log as lost data, once, by every server on it; one that comes back with its data is not.
 * Real redis-server, real server processes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { peerDict, type RawClient } from '../../test-util/support';
import { eventually } from '../../../shared/test-support/eventually';
import { RedisProcesses } from '../../test-util/redis-processes';

const rig = new RedisProcesses('lanrage-redis-lost-');
beforeEach(() => rig.start(), 20_000);
afterEach(() => rig.cleanup());

const LOST = /Redis came back without its data/;
const lostLines = (log: string): number => log.split('\n').filter((l) => LOST.test(l)).length;

/** Redis stopped and started again on its port, with its files kept or wiped. */
async function restartRedis(wipe: boolean): Promise<void> {
  await rig.redis.stop();
  if (wipe) {
    for (const file of fs.readdirSync(rig.redis.dir)) {
      fs.rmSync(path.join(rig.redis.dir, file), { recursive: true, force: true });
    }
  }
  await rig.redis.launch();
}

/**
 * Waits until `client`'s server writes to Redis again: it hosts a new party there (a new id
 * each try: a try refused meanwhile is held, and written once Redis is back).
 */
async function writesAgain(client: RawClient, partyId: string): Promise<void> {
  let tries = 0;
  await eventually(
    async () => {
      const id = `${partyId}_${++tries}`;
      const host_peer = peerDict(`host_${id}`);
      const answer = await client.request({
        type: 'register_party',
        party_id: id,
        name: 'A',
        host_peer,
      });
      return answer.type === 'party_update';
    },
    10_000,
    'a party registered again',
    100,
  );
}

it('an empty Redis after a restart is logged as lost data by each server; a kept one is not', async () => {
  const [a, b] = [await rig.server('a'), await rig.server('b')];
  const [onA, onB] = [await rig.client(a.url), await rig.client(b.url)];
  await onA.hello();
  await onB.hello();
  await writesAgain(onA, 'party_first');

  await restartRedis(false);
  await writesAgain(onA, 'party_kept_a');
  await writesAgain(onB, 'party_kept_b');
  expect(lostLines(a.stderr()) + lostLines(b.stderr())).toBe(0);

  await restartRedis(true);
  const bothSaid = () => lostLines(a.stderr()) === 1 && lostLines(b.stderr()) === 1;
  await eventually(bothSaid, 10_000, 'both servers said it', 100);
  const line = a
    .stderr()
    .split('\n')
    .find((l) => LOST.test(l))!;
  expect(JSON.parse(line)).toMatchObject({ level: 50 });
  // Said once: the next reconnection finds the marker the first check put back.
  await restartRedis(false);
  await writesAgain(onA, 'party_later_a');
  await writesAgain(onB, 'party_later_b');
  expect([lostLines(a.stderr()), lostLines(b.stderr())]).toEqual([1, 1]);
}, 60_000);
