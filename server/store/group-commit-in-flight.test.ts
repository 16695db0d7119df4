/** The group committer while a commit is in flight: what waits, what settles, and when. */
import { describe, expect, it, vi } from 'vitest';
import { createParty, joinParty } from '../../shared/party/transitions';
import { AccessKind } from '../access/records';
import { GroupCommitter } from './group-commit';
import { silentLogger } from '../../shared/logger';
import { MemoryPartyStore } from './test-util/memory-store';
import { SlowStore } from './test-util/slow-store';
import { T0, later, peer, tick } from './test-util/commit-fixtures';

describe('GroupCommitter with a commit in flight', () => {
  it('holds later changes until it is durable, then writes them all in one commit', async () => {
    const store = new SlowStore();
    const committer = new GroupCommitter(store, silentLogger);
    const told: string[] = [];
    let party = createParty('p', 'P', peer('h'), T0).party!;
    committer.recordParty('p', null, party);
    committer.afterCommit({ onCommit: () => told.push('created') });
    await tick();
    expect(store.batches).toHaveLength(1);
    for (const id of ['a', 'b', 'c']) {
      const next = joinParty(party, peer(id), T0).party!;
      committer.recordParty('p', party, next);
      party = next;
      committer.afterCommit({ onCommit: () => told.push(id) });
      await tick();
    }
    // Three ticks passed, but nothing more was written nor acknowledged.
    expect(store.batches).toHaveLength(1);
    expect(told).toEqual([]);
    store.finishOne();
    await tick();
    await tick();
    expect(told).toEqual(['created']);
    expect(store.batches).toHaveLength(2);
    expect(store.batches[1]!.parties).toHaveLength(1);
    store.finishOne();
    await tick();
    expect(told).toEqual(['created', 'a', 'b', 'c']);
    expect([...store.parties.get('p')!.peers.keys()]).toEqual(['h', 'a', 'b', 'c']);
    await committer.close();
  });

  it('hands the next batch to the store before the finished batch is answered, off the loop', async () => {
    const store = new SlowStore();
    const committer = new GroupCommitter(store, silentLogger);
    const batchesWhenTold: number[] = [];
    const party = createParty('p', 'P', peer('h'), T0).party!;
    committer.recordParty('p', null, party);
    committer.afterCommit({ onCommit: () => batchesWhenTold.push(store.batches.length) });
    await tick();
    const next = joinParty(party, peer('a'), T0).party!;
    committer.recordParty('p', party, next);
    let joined = false;
    committer.afterCommit({ onCommit: () => (joined = true) });
    store.finishOne();
    await tick();
    // The join's batch was already with the store when the creation was answered: the
    // writer works while the loop sends, and it was asked not to use the loop for it.
    expect(batchesWhenTold).toEqual([2]);
    expect(store.options).toEqual([{}, { offLoop: true }]);
    expect(joined).toBe(false);
    store.finishOne();
    await tick();
    expect(joined).toBe(true);
    expect(store.batches).toHaveLength(2);
    await committer.close();
  });

  it('settles once what was recorded before is written, or false when its batch failed', async () => {
    const store = new SlowStore();
    const committer = new GroupCommitter(store, silentLogger);
    const party = createParty('p', 'P', peer('h'), T0).party!;
    committer.recordParty('p', null, party);
    await tick();
    // Recorded while the creation is in flight: settled waits for the batch after it.
    committer.recordParty('p', party, joinParty(party, peer('a'), T0).party);
    let settled: boolean | undefined;
    void committer.settled().then((ok) => (settled = ok));
    store.finishOne();
    await tick();
    expect(settled).toBeUndefined();
    store.finishOne();
    await tick();
    expect(settled).toBe(true);
    expect([...store.parties.get('p')!.peers.keys()]).toEqual(['h', 'a']);
    const failing = new MemoryPartyStore();
    failing.failNext = new Error('disk full');
    const other = new GroupCommitter(failing, silentLogger);
    other.recordParty('q', null, createParty('q', 'Q', peer('h'), T0).party);
    expect(await other.settled()).toBe(false);
    await committer.close();
    await other.close();
  });

  it('tells which access rows are not yet written, and which were recorded while watched', async () => {
    const store = new SlowStore();
    const committer = new GroupCommitter(store, silentLogger);
    committer.recordAccess(AccessKind.BAN, 'p a', '{}');
    await tick();
    const watch = committer.watchAccess();
    committer.recordAccess(AccessKind.INVITE, 'tok', '{}');
    watch.stop();
    committer.recordAccess(AccessKind.BAN, 'p b', '{}');
    // One row in the commit being written, two waiting for the next.
    expect(committer.unwrittenAccess()).toEqual(new Set(['ban p a', 'invite tok', 'ban p b']));
    expect(watch.keys).toEqual(new Set(['invite tok']));
    store.finishOne();
    await tick();
    expect(committer.unwrittenAccess()).toEqual(new Set(['invite tok', 'ban p b']));
    store.finishOne();
    await tick();
    expect(committer.unwrittenAccess()).toEqual(new Set());
    await committer.close();
  });

  it('writes heartbeat touches only after the persist interval, and at close', async () => {
    const store = new MemoryPartyStore();
    const committer = new GroupCommitter(store, silentLogger, { touchPersistMs: 30 });
    const party = createParty('p', 'P', peer('h'), T0).party!;
    committer.recordParty('p', null, party);
    await tick();
    committer.recordTouch('p', 'h', later(1000).getTime());
    committer.recordTouch('p', 'h', later(2000).getTime());
    await tick();
    expect(store.parties.get('p')!.peers.get('h')!.lastSeen).toEqual(T0);
    // Written once the 30 ms are up; a loaded machine may take longer to run the timer.
    await vi.waitFor(
      () => expect(store.parties.get('p')!.peers.get('h')!.lastSeen).toEqual(later(2000)),
      { timeout: 2000, interval: 10 },
    );
    committer.recordTouch('p', 'h', later(3000).getTime());
    await committer.close();
    expect(store.parties.get('p')!.peers.get('h')!.lastSeen).toEqual(later(3000));
  });
});
