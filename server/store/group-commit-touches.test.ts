/** The group committer's heartbeat touches: once per period, and in chunks. */
import { describe, expect, it, vi } from 'vitest';
import { createParty } from '../../shared/party/transitions';
import { GroupCommitter } from './group-commit';
import { TOUCH_CHUNK, TOUCH_CHUNK_WITH_CHANGES } from './pending-changes';
import { silentLogger } from '../../shared/logger';
import { eventually } from '../../shared/test-support/eventually';
import type { PartyStore } from './store';
import { MemoryPartyStore } from './test-util/memory-store';
import { SlowStore } from './test-util/slow-store';
import { T0, peer, tick } from './test-util/commit-fixtures';

describe('GroupCommitter touch batches', () => {
  it('writes touches once per period while members keep beating, not chunk after chunk', async () => {
    const store = new MemoryPartyStore();
    let commits = 0;
    const counting: PartyStore = {
      load: () => store.load(),
      ping: () => store.ping(),
      close: () => store.close(),
      commit: (batch) => {
        commits += 1;
        return store.commit(batch);
      },
    };
    // The touch timer on a clock the test moves (setImmediate, which runs commits, stays real):
    // on the wall clock, a loaded machine ran fewer rounds in the 200 ms.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const committer = new GroupCommitter(counting, silentLogger, { touchPersistMs: 40 });
    // Members beat far faster than TOUCH_CHUNK a commit could keep up with: every one of
    // them beats again between any two commits.
    const members = TOUCH_CHUNK * 3;
    const beat = (ms: number): void => {
      for (let i = 0; i < members; i += 1) committer.recordTouch('p', `m${i}`, ms);
    };
    try {
      // 200 ms, a round each: every commit that may run between two beats does.
      for (let ms = 0; ms < 200; ms += 1) {
        beat(T0.getTime() + ms);
        await tick();
        vi.advanceTimersByTime(1);
      }
    } finally {
      vi.useRealTimers();
    }
    await committer.close();
    // Five periods at most, each written in three chunks (and close's own).
    expect(commits).toBeLessThanOrEqual(6 * 4);
    expect(commits).toBeGreaterThanOrEqual(3);
  });

  it('writes many touches in chunks, so a join never waits behind all of them', async () => {
    const store = new SlowStore();
    const committer = new GroupCommitter(store, silentLogger, { touchPersistMs: 1 });
    for (let i = 0; i < TOUCH_CHUNK * 2 + 100; i += 1)
      committer.recordTouch('p', `m${i}`, T0.getTime());
    await eventually(() => store.batches.length > 0, 5000, 'the first touch chunk written');
    expect(store.batches.map((b) => b.touches?.length)).toEqual([TOUCH_CHUNK]);
    // A join arrives while the first chunk is being written: it goes next, with only a few
    // touches, so it does not wait for another full chunk to be written.
    const party = createParty('j', 'J', peer('h'), T0).party!;
    committer.recordParty('j', null, party);
    let joined = false;
    committer.afterCommit({ onCommit: () => (joined = true) });
    store.finishOne();
    await tick();
    await tick();
    expect(store.batches).toHaveLength(2);
    expect(store.batches[1]!.parties).toHaveLength(1);
    expect(store.batches[1]!.touches).toHaveLength(TOUCH_CHUNK_WITH_CHANGES);
    store.finishOne();
    await tick();
    await tick();
    expect(joined).toBe(true);
    // The rest follow in full chunks; every touch is written once.
    for (let i = 0; i < 10; i += 1) {
      store.finishOne();
      await tick();
      await tick();
    }
    await committer.close();
    const sizes = store.batches.map((b) => b.touches?.length ?? 0);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(TOUCH_CHUNK * 2 + 100);
    expect(Math.max(...sizes)).toBe(TOUCH_CHUNK);
  });
});
