import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logger';
import { PeerInfo } from '../../shared/model';
import { createParty, heartbeat, joinParty } from '../../shared/party/transitions';
import { peerDict } from '../test-util/support';
import { CommitRoute, type RouteClock } from './commit-route';
import { DB_FILE, SqlitePartyStore } from './sqlite-store';
import type { StoreBatch } from './store';
import { ThreadedSqliteStore } from './threaded-store';

const T0 = new Date('2026-01-29T12:00:00Z');
const later = (ms: number): Date => new Date(T0.getTime() + ms);
const peer = (id: string): PeerInfo => PeerInfo.fromDict(peerDict(id));

/** A loop as idle (0) or as busy (1) as the test says. */
const loop = (utilization: number): RouteClock => ({
  now: () => 0,
  utilization: () => utilization,
});
const NEVER_SLOW = { slowAverageMs: Number.POSITIVE_INFINITY };
const ROUTES = [
  { where: 'on the event loop', utilization: 0, inline: true },
  { where: 'on the writer thread', utilization: 1, inline: false },
];

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-threaded-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A commit that may throw or reject, as a promise. */
const committed = async (store: ThreadedSqliteStore, batch: StoreBatch) => store.commit(batch);

describe.each(ROUTES)('ThreadedSqliteStore committing $where', ({ utilization, inline }) => {
  // However slow this machine's disk is today, the route stays as the test says.
  const route = () => new CommitRoute(loop(utilization), NEVER_SLOW);
  const open = () => ThreadedSqliteStore.open(dir, silentLogger, undefined, route());

  it('is durable: a reopened database has parties, touches and owners', async () => {
    const store = await open();
    const created = createParty('p', 'P', peer('h'), T0).party!;
    const joined = joinParty(created, peer('g'), T0).party!;
    const first = store.commit({
      parties: [{ partyId: 'p', base: null, next: joined }],
      owners: [
        { peerId: 'h', token: 'th' },
        { peerId: 'g', token: 'tg' },
      ],
    });
    // On the loop the commit is done when it returns; on the thread, when it resolves.
    expect(first instanceof Promise).toBe(!inline);
    await first;
    await store.commit({
      parties: [],
      owners: [{ peerId: 'g', token: null }],
      touches: [{ partyId: 'p', peerId: 'g', lastSeen: later(5000) }],
    });
    expect(store.inlineCommits).toBe(inline ? 2 : 0);
    await store.close();
    const reopened = new SqlitePartyStore(dir, silentLogger);
    const loaded = reopened.load();
    reopened.close();
    expect(loaded.parties.get('p')!.peers.get('g')!.lastSeen).toEqual(later(5000));
    expect([...loaded.owners]).toEqual([['h', 'th']]);
  });

  it('fails a commit the database refuses, and keeps working for the next one', async () => {
    const store = await open();
    const bad = createParty('p', 'P', peer('h'), T0).party!.with({
      name: null as unknown as string,
    });
    await expect(
      committed(store, { parties: [{ partyId: 'p', base: null, next: bad }], owners: [] }),
    ).rejects.toThrow(/NOT NULL/);
    const good = heartbeat(createParty('q', 'Q', peer('h'), T0).party!, 'h', later(1)).party!;
    await store.commit({ parties: [{ partyId: 'q', base: null, next: good }], owners: [] });
    expect([...store.load().parties.keys()]).toEqual(['q']);
    await store.close();
  });

  it('is ready only while its writer thread answers: not behind a locked database, not closed', async () => {
    const store = await open();
    await expect(store.ping()).resolves.toBeUndefined();
    // Another process holds the write lock. The loop never waits for it: the commit goes to
    // the writer, which does, and a ping queued behind that commit goes unanswered.
    const other = new Database(path.join(dir, DB_FILE));
    other.exec('BEGIN EXCLUSIVE');
    const party = createParty('p', 'P', peer('h'), T0).party!;
    const commit = store.commit({
      parties: [{ partyId: 'p', base: null, next: party }],
      owners: [],
    });
    expect(commit).toBeInstanceOf(Promise);
    await expect(store.ping(300)).rejects.toThrow(/did not answer/);
    other.exec('COMMIT');
    other.close();
    await commit;
    expect(store.inlineCommits).toBe(0);
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow(/closed/);
  });
});

describe('ThreadedSqliteStore on an idle loop', () => {
  it('keeps order: while the thread still has a commit, the next one queues behind it', async () => {
    const store = await ThreadedSqliteStore.open(
      dir,
      silentLogger,
      undefined,
      new CommitRoute(loop(0), NEVER_SLOW),
    );
    const other = new Database(path.join(dir, DB_FILE));
    other.exec('BEGIN EXCLUSIVE');
    const p1 = createParty('p', 'P', peer('h'), T0).party!;
    const first = store.commit({ parties: [{ partyId: 'p', base: null, next: p1 }], owners: [] });
    other.exec('COMMIT');
    other.close();
    // The lock is gone, but the first commit is still the thread's: the second follows it.
    const p2 = joinParty(p1, peer('g'), T0).party!;
    const second = store.commit({ parties: [{ partyId: 'p', base: p1, next: p2 }], owners: [] });
    expect(second).toBeInstanceOf(Promise);
    await Promise.all([first, second]);
    expect([...store.load().parties.get('p')!.peers.keys()]).toEqual(['h', 'g']);
    await store.close();
  });

  it('commits on the thread when asked to keep off the loop (answers are being sent)', async () => {
    const store = await ThreadedSqliteStore.open(
      dir,
      silentLogger,
      undefined,
      new CommitRoute(loop(0), NEVER_SLOW),
    );
    const p1 = createParty('p', 'P', peer('h'), T0).party!;
    const batch = { parties: [{ partyId: 'p', base: null, next: p1 }], owners: [] };
    const result = store.commit(batch, { offLoop: true });
    expect(result).toBeInstanceOf(Promise);
    await result;
    expect(store.inlineCommits).toBe(0);
    expect([...store.load().parties.get('p')!.peers.keys()]).toEqual(['h']);
    await store.close();
  });
});
