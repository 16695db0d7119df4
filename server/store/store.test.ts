import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PeerInfo } from '../../shared/model';
import { DEFAULT_PARTY_SETTINGS } from '../../shared/party/settings';
import { createParty, heartbeat, joinParty, leaveParty } from '../../shared/party/transitions';
import { GroupCommitter } from './group-commit';
import { silentLogger } from '../../shared/logger';
import { DB_FILE, SqlitePartyStore } from './sqlite-store';
import { diffParty } from './store';
import { MemoryPartyStore } from './test-util/memory-store';
import { peerDict } from '../test-util/support';

const T0 = new Date('2026-01-29T12:00:00Z');
const peer = (id: string): PeerInfo => PeerInfo.fromDict(peerDict(id));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-store-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('diffParty', () => {
  it('finds only the peers whose objects changed', () => {
    const created = createParty('p', 'P', peer('a'), T0).party!;
    const joined = joinParty(created, peer('b'), T0).party!;
    const beat = heartbeat(joined, 'b', new Date(T0.getTime() + 1000)).party!;
    const diff = diffParty(joined, beat);
    expect(diff.partyRow).toBeNull();
    expect(diff.upsertPeers.map((p) => p.peerId)).toEqual(['b']);
    expect(diffParty(beat, leaveParty(beat, 'b').party).deletePeerIds).toEqual(['b']);
    expect(diffParty(beat, null).deleteParty).toBe(true);
  });
});

describe('SqlitePartyStore', () => {
  it('round-trips parties and owners across a reopen, in WAL mode with synchronous=FULL', () => {
    const store = new SqlitePartyStore(dir, silentLogger);
    const created = createParty('party_abc123', 'Gaming Night', peer('a'), T0).party!;
    const joined = joinParty(created, peer('b'), T0).party!;
    store.commit({
      parties: [{ partyId: created.partyId, base: null, next: joined }],
      owners: [{ peerId: 'a', token: 'tok-a' }],
    });
    const left = leaveParty(joined, 'b').party!;
    store.commit({ parties: [{ partyId: 'party_abc123', base: joined, next: left }], owners: [] });
    store.close();

    const reopened = new SqlitePartyStore(dir, silentLogger);
    const loaded = reopened.load();
    expect(loaded.parties.get('party_abc123')?.toDict()).toEqual(left.toDict());
    expect(loaded.owners.get('a')).toBe('tok-a');
    reopened.close();
    const db = new Database(path.join(dir, DB_FILE));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it("refuses another program's database with what to do, leaving its table as it was", () => {
    const file = path.join(dir, DB_FILE);
    const foreign = new Database(file);
    foreign.exec('CREATE TABLE parties (id INTEGER PRIMARY KEY, title TEXT)');
    foreign.prepare("INSERT INTO parties (title) VALUES ('their row')").run();
    foreign.close();
    const before = fs.readFileSync(file);
    expect(() => new SqlitePartyStore(dir, silentLogger)).toThrow(
      /lanrage\.db is not a LANrage database \(its table parties has no column party_id, name, host_id, created_at\)\. It was left as it is\. Move it away/,
    );
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT * FROM parties').all()).toEqual([{ id: 1, title: 'their row' }]);
    after.close();
  });

  it("keeps a party's settings, also in a database made before they were stored", () => {
    const db = new Database(path.join(dir, DB_FILE));
    db.exec(`CREATE TABLE parties (party_id TEXT PRIMARY KEY, name TEXT NOT NULL,
      host_id TEXT NOT NULL, created_at TEXT NOT NULL)`);
    db.prepare("INSERT INTO parties VALUES ('old', 'Old', 'a', '2026-01-29T12:00:00')").run();
    db.close();
    const store = new SqlitePartyStore(dir, silentLogger);
    expect(store.load().parties.get('old')!.settings.hostMigration).toBe(false);
    const settings = { ...DEFAULT_PARTY_SETTINGS, hostMigration: true, maxPeers: 12, locked: true };
    const migrating = createParty('new', 'New', peer('b'), T0, settings).party!;
    store.commit({ parties: [{ partyId: 'new', base: null, next: migrating }], owners: [] });
    store.close();
    const reopened = new SqlitePartyStore(dir, silentLogger);
    expect(reopened.load().parties.get('new')!.settings).toEqual(settings);
    reopened.close();
  });

  it('deletes a closed party with its peers', () => {
    const store = new SqlitePartyStore(dir, silentLogger);
    const party = createParty('p', 'P', peer('a'), T0).party!;
    store.commit({ parties: [{ partyId: 'p', base: null, next: party }], owners: [] });
    store.commit({ parties: [{ partyId: 'p', base: party, next: null }], owners: [] });
    expect(store.load().parties.size).toBe(0);
    store.close();
  });

  it('skips a corrupt row instead of failing to start', () => {
    const store = new SqlitePartyStore(dir, silentLogger);
    const party = createParty('good', 'P', peer('a'), T0).party!;
    store.commit({ parties: [{ partyId: 'good', base: null, next: party }], owners: [] });
    store.close();
    const db = new Database(path.join(dir, DB_FILE));
    db.prepare(
      "INSERT INTO parties (party_id, name, host_id, created_at) VALUES ('bad', 'B', 'x', 'not a date')",
    ).run();
    db.close();
    const reopened = new SqlitePartyStore(dir, silentLogger);
    expect([...reopened.load().parties.keys()]).toEqual(['good']);
    reopened.close();
  });

  it('skips an unreadable member row alone; a party written anew drops what its id left', () => {
    const store = new SqlitePartyStore(dir, silentLogger);
    const party = joinParty(createParty('p', 'P', peer('h'), T0).party!, peer('g'), T0).party!;
    store.commit({ parties: [{ partyId: 'p', base: null, next: party }], owners: [] });
    store.close();
    const db = new Database(path.join(dir, DB_FILE));
    db.prepare("UPDATE peers SET last_seen = 'garbage' WHERE peer_id = 'g'").run();
    db.close();
    // The party loads without the member it cannot read (it was skipped whole, every start).
    const reopened = new SqlitePartyStore(dir, silentLogger);
    expect([...reopened.load().parties.get('p')!.peers.keys()]).toEqual(['h']);
    // Registered again as new (the server had lost it): its old rows do not come back.
    const again = createParty('p', 'P', peer('h'), T0).party!;
    reopened.commit({ parties: [{ partyId: 'p', base: null, next: again }], owners: [] });
    reopened.close();
    const db2 = new Database(path.join(dir, DB_FILE), { readonly: true });
    const rows = db2.prepare("SELECT peer_id FROM peers WHERE party_id = 'p'").all();
    db2.close();
    expect(rows).toEqual([{ peer_id: 'h' }]);
  });
});

describe('SqlitePartyStore event numbers', () => {
  it("keeps each party's event number, and opens a database written before them", () => {
    const old = new Database(path.join(dir, DB_FILE));
    old.exec(
      `CREATE TABLE parties (party_id TEXT PRIMARY KEY, name TEXT NOT NULL, host_id TEXT NOT NULL,
       created_at TEXT NOT NULL);
       INSERT INTO parties VALUES ('old', 'Old', 'a', '2026-01-29T12:00:00.000Z');`,
    );
    old.close();
    const store = new SqlitePartyStore(dir, silentLogger);
    expect(store.load().parties.has('old')).toBe(true);
    expect(store.load().seqs?.size).toBe(0);
    const party = createParty('p', 'P', peer('a'), T0).party!;
    const seqs = new Map([
      ['p', { base: 0, seq: 7 }],
      ['gone', { base: 2, seq: 3 }],
    ]);
    store.commit({ parties: [{ partyId: 'p', base: null, next: party }], owners: [], seqs });
    store.close();
    const reopened = new SqlitePartyStore(dir, silentLogger);
    expect(reopened.load().seqs).toEqual(new Map([['p', 7]]));
    reopened.close();
  });
});

describe('GroupCommitter', () => {
  it('writes every change of one tick in one commit, before the callbacks run', async () => {
    const store = new MemoryPartyStore();
    const committer = new GroupCommitter(store, silentLogger);
    const seen: number[] = [];
    let party = createParty('p', 'P', peer('a'), T0).party!;
    committer.recordParty('p', null, party);
    for (let i = 0; i < 50; i += 1) {
      const next = heartbeat(party, 'a', new Date(T0.getTime() + i)).party!;
      committer.recordParty('p', party, next);
      party = next;
      committer.afterCommit({ onCommit: () => seen.push(store.commits) });
    }
    await new Promise((r) => setImmediate(r));
    expect(store.commits).toBe(1);
    expect(seen).toEqual(Array(50).fill(1));
    expect(store.parties.get('p')).toBe(party);
  });

  it('tells waiters when a commit fails and keeps the change for a retry', async () => {
    const store = new MemoryPartyStore();
    const committer = new GroupCommitter(store, silentLogger);
    store.failNext = new Error('disk full');
    const outcome: string[] = [];
    const party = createParty('p', 'P', peer('a'), T0).party!;
    committer.recordParty('p', null, party);
    committer.afterCommit({
      onCommit: () => outcome.push('ok'),
      onFail: () => outcome.push('fail'),
    });
    await new Promise((r) => setImmediate(r));
    expect(outcome).toEqual(['fail']);
    expect(store.parties.size).toBe(0);
    committer.flush();
    expect(store.parties.get('p')).toBe(party);
    await committer.close();
  });
});
