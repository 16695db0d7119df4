/** The group committer closing: nothing written after close, and a store that refuses all. */
import { describe, expect, it } from 'vitest';
import { createParty, joinParty } from '../../shared/party/transitions';
import { GroupCommitter } from './group-commit';
import { silentLogger } from '../../shared/logger';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { StoreConflict } from './store';
import { MemoryPartyStore } from './test-util/memory-store';
import { T0, later, peer, tick } from './test-util/commit-fixtures';

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
    committer.recordTouch('p', 'h', later(1000).getTime());
    // The count reaches the drain's last line (server/cli.ts): it said "the store flushed".
    expect(await committer.close()).toEqual({ count: 2, what: '1 party, 1 last-seen time' });
    expect(store.parties.has('p')).toBe(false);
    expect(logger.messages('warn')).toEqual([
      'Stopping with changes the store did not take: 2 changes (1 party, 1 last-seen time; ' +
        'their requests were answered unavailable), not stored',
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
    expect((await committer.close()).count).toBe(0);
    expect(logger.messages('warn')).toEqual([]);
  });
});
