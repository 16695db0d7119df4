import { describe, expect, it, vi } from 'vitest';
import { PeerInfo } from '../../shared/model';
import { createParty, joinParty } from '../../shared/party/transitions';
import { AccessKind } from '../access/records';
import { GroupCommitter } from './group-commit';
import { TOUCH_CHUNK, TOUCH_CHUNK_WITH_CHANGES } from './pending-changes';
import { silentLogger } from '../../shared/logger';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { StoreConflict, type PartyStore } from './store';
import { MemoryPartyStore } from './test-util/memory-store';
import { SlowStore } from './test-util/slow-store';
import { peerDict } from '../test-util/support';

const T0 = new Date('2026-01-29T12:00:00Z');
const later = (ms: number): Date => new Date(T0.getTime() + ms);
const peer = (id: string): PeerInfo => PeerInfo.fromDict(peerDict(id));
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('GroupCommitter after close', () => {
  it('writes nothing recorded after close (the store may be closed or another server’s), and fails waiters', async () => {
    const store = new MemoryPartyStore();
    const committer = new GroupCommitter(store, silentLogger);
    const party = createParty('p', 'P', peer('h'), T0).party!;
    committer.recordParty('p', null, party);
    await committer.close();
    expect(store.parties.get('p')?.peers.size).toBe(1);
    const commits = committer.commits;
    committer.recordParty('p', party, joinParty(party, peer('late'), T0).party);
    committer.recordTouch('p', 'h', later(1000).getTime());
    const failed: unknown[] = [];
    committer.afterCommit({
      onCommit: () => failed.push('written'),
      onFail: (e) => failed.push(e),
    });
    committer.flush();
    await tick();
    await tick();
    expect(committer.commits).toBe(commits);
    expect(store.parties.get('p')?.peers.has('late')).toBe(false);
    expect(failed).toEqual([expect.objectContaining({ message: 'The server has stopped' })]);
  });
});

describe('GroupCommitter closing on a store that refuses every commit', () => {
  it('stops after its bounded tries and says what it did not store', async () => {
    const store = new MemoryPartyStore();
    store.commit = () => {
      throw new Error('not connected to Redis; reconnecting');
    };
    const logger = new MemoryLogger();
    const committer = new GroupCommitter(store, logger);
    committer.recordParty('p', null, createParty('p', 'P', peer('h'), T0).party);
    await committer.close();
    expect(store.parties.has('p')).toBe(false);
    expect(logger.messages('warn')).toEqual([
      expect.stringMatching(/^Stopping with changes the store did not take/) as string,
    ]);
  });

  it('logs a conflict with another server at debug: servers sharing a store meet them often', async () => {
    const store = new MemoryPartyStore();
    store.commit = () => {
      throw new StoreConflict(['p'], []);
    };
    const logger = new MemoryLogger();
    const committer = new GroupCommitter(store, logger);
    committer.recordParty('p', null, createParty('p', 'P', peer('h'), T0).party);
    await committer.close();
    expect(logger.messages('debug')).toContain('Changed by another server meanwhile: p');
    expect(logger.messages('info')).toEqual([]);
  });

  it('says nothing when everything was stored', async () => {
    const logger = new MemoryLogger();
    const committer = new GroupCommitter(new MemoryPartyStore(), logger);
    committer.recordParty('p', null, createParty('p', 'P', peer('h'), T0).party);
    await committer.close();
    expect(logger.messages('warn')).toEqual([]);
  });
});

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
    const committer = new GroupCommitter(counting, silentLogger, { touchPersistMs: 40 });
    // Members beat far faster than TOUCH_CHUNK a commit could keep up with: every one of
    // them beats again between any two commits.
    const members = TOUCH_CHUNK * 3;
    const beat = (ms: number): void => {
      for (let i = 0; i < members; i += 1) committer.recordTouch('p', `m${i}`, ms);
    };
    const started = Date.now();
    for (let round = 0; Date.now() - started < 200 && round < 10_000; round += 1) {
      beat(Date.now());
      await tick();
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
    await new Promise((r) => setTimeout(r, 20));
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

describe('GroupCommitter telling members', () => {
  const joinWhileWriting = async (store: SlowStore) => {
    const committer = new GroupCommitter(store, silentLogger);
    const heard: string[] = [];
    const party = createParty('p', 'P', peer('h'), T0).party!;
    committer.recordParty('p', null, party);
    committer.whenTellable(() => heard.push('told'));
    committer.afterCommit({ onCommit: () => heard.push('answered') });
    await tick();
    return heard;
  };

  it('tells at once on a store of its own, and answers once the change is durable', async () => {
    const store = new SlowStore();
    const heard = await joinWhileWriting(store);
    expect(store.inFlight).toBe(1);
    expect(heard).toEqual(['told']);
    store.finishOne();
    await tick();
    expect(heard).toEqual(['told', 'answered']);
  });

  it('tells only after the commit on a shared store, which could refuse the batch', async () => {
    const store = new SlowStore(true);
    const heard = await joinWhileWriting(store);
    expect(store.inFlight).toBe(1);
    expect(heard).toEqual([]);
    store.finishOne();
    await tick();
    expect(heard).toEqual(['told', 'answered']);
  });
});
