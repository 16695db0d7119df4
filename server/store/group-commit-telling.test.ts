/** When the group committer lets members be told of a change: before or after it is stored. */
import { describe, expect, it } from 'vitest';
import { createParty } from '../../shared/party/transitions';
import { GroupCommitter } from './group-commit';
import { silentLogger } from '../../shared/logger';
import { SlowStore } from './test-util/slow-store';
import { T0, peer, tick } from './test-util/commit-fixtures';

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
