/**
 * The durable store: SQLite through better-sqlite3 in `<dataDir>/lanrage.db`, WAL with
 * synchronous=FULL so a committed batch survives a SIGKILL or a power cut. Its commits
 * block the calling thread for an fsync; the server runs them on a writer thread
 * (threaded-store.ts) and uses this class directly only to load.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { PartyInfo, type PeerInfo } from '../../shared/model';
import { PeerDictSchema, type PeerDict } from '../../shared/party/dicts';
import type { Logger } from '../../shared/logger';
import type { AccessRow } from '../access/records';
import { makeDataDir } from './data-dir';
import { assertWritable } from './db-health';
import { openNew } from './file-modes';
import type { LoadedState, PartyStore, StoreBatch } from './store';
import { isEmptyRows, toRows, type PartyRow, type PeerRow, type RowBatch } from './store-rows';

export const DB_FILE = 'lanrage.db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS parties (
  party_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  host_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0,
  settings TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS peers (
  party_id TEXT NOT NULL,
  peer_id TEXT NOT NULL,
  name TEXT NOT NULL,
  public_key TEXT NOT NULL,
  nat_type TEXT NOT NULL,
  public_ip TEXT NOT NULL,
  public_port INTEGER NOT NULL,
  local_ip TEXT NOT NULL,
  local_port INTEGER NOT NULL,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (party_id, peer_id)
);
CREATE TABLE IF NOT EXISTS peer_owners (
  peer_id TEXT PRIMARY KEY,
  token TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS access (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (kind, key)
);
`;

/** The columns each of LANrage's tables has had from the start (later ones are migrated). */
const BASE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  parties: ['party_id', 'name', 'host_id', 'created_at'],
  peers: ['party_id', 'peer_id', 'name', 'public_key', 'last_seen'],
  peer_owners: ['peer_id', 'token'],
  access: ['kind', 'key', 'value'],
};

/**
 * What makes a readable SQLite file not one of LANrage's (another program's tables under
 * the same names), or null. Checked before anything is written to it: the health check
 * passes such a file, and migrating it would alter someone else's table.
 */
function foreignTables(db: Database.Database): string | null {
  for (const [table, wanted] of Object.entries(BASE_COLUMNS)) {
    const columns = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
    if (columns.length === 0) continue;
    const missing = wanted.filter((name) => !columns.includes(name));
    if (missing.length > 0) return `its table ${table} has no column ${missing.join(', ')}`;
  }
  return null;
}

/** Says what the file is and what to do, not only SQLite's own words. */
function foreignDatabase(file: string, why: string): Error {
  return new Error(
    `${file} is not a LANrage database (${why}). It was left as it is. Move it away (a new ` +
      'one is made on the next start) or give --data-dir a folder of its own.',
  );
}

/** The database at `file` with LANrage's schema, WAL and durable commits; closed if that fails. */
function openSchema(file: string): Database.Database {
  const db = new Database(file);
  try {
    const foreign = foreignTables(db);
    if (foreign !== null) throw foreignDatabase(file, foreign);
    assertWritable(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
    migrate(db);
    return db;
  } catch (error) {
    if (db.open) db.close();
    throw error;
  }
}

/**
 * Databases made before a column existed get it with its default (ALTER TABLE ADD COLUMN
 * rewrites nothing): event numbers (0 = none yet), then the settings (JSON, `{}` = the
 * defaults).
 */
function migrate(db: Database.Database): void {
  const columns = db.pragma('table_info(parties)') as { name: string }[];
  if (!columns.some((c) => c.name === 'seq')) {
    db.exec('ALTER TABLE parties ADD COLUMN seq INTEGER NOT NULL DEFAULT 0');
  }
  // Settings were not stored at first: host_migration was lost on every restart.
  if (!columns.some((c) => c.name === 'settings')) {
    db.exec("ALTER TABLE parties ADD COLUMN settings TEXT NOT NULL DEFAULT '{}'");
  }
}

export class SqlitePartyStore implements PartyStore {
  private readonly db: Database.Database;
  private readonly stmts;
  private readonly applyBatch: Database.Transaction<(rows: RowBatch) => void>;

  constructor(
    dataDir: string,
    private readonly logger?: Logger,
  ) {
    makeDataDir(dataDir);
    const file = path.join(dataDir, DB_FILE);
    this.db = openNew(file, () => openSchema(file));
    this.stmts = this.prepare();
    this.applyBatch = this.db.transaction((rows: RowBatch) => this.applyAll(rows));
  }

  private prepare() {
    const db = this.db;
    return {
      upsertParty: db.prepare(
        `INSERT INTO parties (party_id, name, host_id, created_at, settings)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(party_id) DO UPDATE SET name = excluded.name, host_id = excluded.host_id,
         created_at = excluded.created_at, settings = excluded.settings`,
      ),
      deleteParty: db.prepare('DELETE FROM parties WHERE party_id = ?'),
      deletePartyPeers: db.prepare('DELETE FROM peers WHERE party_id = ?'),
      // An update keeps the row (and its rowid); REPLACE deleted and re-inserted it, moving
      // an updated member to the end of the join order the load reads back.
      upsertPeer: db.prepare(
        `INSERT INTO peers (party_id, peer_id, name, public_key, nat_type, public_ip,
         public_port, local_ip, local_port, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(party_id, peer_id) DO UPDATE SET name = excluded.name,
         public_key = excluded.public_key, nat_type = excluded.nat_type,
         public_ip = excluded.public_ip, public_port = excluded.public_port,
         local_ip = excluded.local_ip, local_port = excluded.local_port,
         last_seen = excluded.last_seen`,
      ),
      deletePeer: db.prepare('DELETE FROM peers WHERE party_id = ? AND peer_id = ?'),
      upsertOwner: db.prepare('INSERT OR REPLACE INTO peer_owners (peer_id, token) VALUES (?, ?)'),
      deleteOwner: db.prepare('DELETE FROM peer_owners WHERE peer_id = ?'),
      setSeq: db.prepare('UPDATE parties SET seq = ? WHERE party_id = ?'),
      touchPeer: db.prepare('UPDATE peers SET last_seen = ? WHERE party_id = ? AND peer_id = ?'),
      allParties: db.prepare(
        'SELECT party_id, name, host_id, created_at, settings, seq FROM parties',
      ),
      // Join order: a new row's rowid is above every row's that exists (SQLite picks max + 1),
      // and the host-migration rule (longest present) reads it back after a restart.
      upsertAccess: db.prepare('INSERT OR REPLACE INTO access (kind, key, value) VALUES (?, ?, ?)'),
      deleteAccess: db.prepare('DELETE FROM access WHERE kind = ? AND key = ?'),
      allAccess: db.prepare('SELECT kind, key, value FROM access'),
      allPeers: db.prepare('SELECT * FROM peers ORDER BY rowid'),
      allOwners: db.prepare('SELECT peer_id, token FROM peer_owners'),
    };
  }

  private applyAll(rows: RowBatch): void {
    const st = this.stmts;
    for (const partyId of rows.deleteParties) {
      st.deletePartyPeers.run(partyId);
      st.deleteParty.run(partyId);
    }
    for (const p of rows.upsertParties)
      st.upsertParty.run(p.party_id, p.name, p.host_id, p.created_at, p.settings);
    for (const [partyId, peerId] of rows.deletePeers) st.deletePeer.run(partyId, peerId);
    for (const r of rows.upsertPeers) {
      st.upsertPeer.run(
        r.party_id,
        r.peer_id,
        r.name,
        r.public_key,
        r.nat_type,
        r.public_ip,
        r.public_port,
        r.local_ip,
        r.local_port,
        r.last_seen,
      );
    }
    for (const [peerId, token] of rows.owners) {
      if (token === null) st.deleteOwner.run(peerId);
      else st.upsertOwner.run(peerId, token);
    }
    for (const [partyId, peerId, lastSeen] of rows.touches)
      st.touchPeer.run(lastSeen, partyId, peerId);
    for (const [partyId, seq] of rows.seqs) st.setSeq.run(seq, partyId);
    for (const [kind, key, value] of rows.access) {
      if (value === null) st.deleteAccess.run(kind, key);
      else st.upsertAccess.run(kind, key, value);
    }
  }

  commit(batch: StoreBatch): void {
    this.commitRows(toRows(batch));
  }

  /**
   * One transaction: durable (WAL, synchronous=FULL) when this returns. It takes the write
   * lock first (BEGIN IMMEDIATE), so a locked database fails before any work is done.
   */
  commitRows(rows: RowBatch): void {
    if (isEmptyRows(rows)) return;
    this.applyBatch.immediate(rows);
  }

  /**
   * For the connection that commits on the event loop: a database another connection has
   * locked throws SQLITE_BUSY at once (the commit is handed to the writer thread) instead
   * of blocking the loop while it waits for the lock.
   */
  neverWaitForLocks(): void {
    this.db.pragma('busy_timeout = 0');
  }

  /** Throws unless the database answers a query. */
  check(): void {
    this.db.prepare('SELECT 1').get();
  }

  ping(): Promise<void> {
    try {
      this.check();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Reads everything back, validating each row; a corrupt row is skipped, not fatal. */
  load(): LoadedState {
    const peersByParty = this.loadPeers();
    const parties = new Map<string, PartyInfo>();
    const seqs = new Map<string, number>();
    for (const { seq, ...row } of this.stmts.allParties.all() as (PartyRow & { seq: number })[]) {
      try {
        const peers = peersByParty.get(row.party_id) ?? new Map<string, PeerDict>();
        const { settings: stored, ...header } = row;
        const settings = JSON.parse(stored) as unknown;
        const party = PartyInfo.fromDict({ ...header, settings, peers: Object.fromEntries(peers) });
        parties.set(party.partyId, inJoinOrder(party, [...peers.keys()]));
        if (Number.isSafeInteger(seq) && seq > 0) seqs.set(party.partyId, seq);
      } catch (error) {
        this.logger?.warn(`Skipping unreadable party ${row.party_id}: ${String(error)}`);
      }
    }
    const owners = new Map<string, string>();
    for (const row of this.stmts.allOwners.all() as { peer_id: string; token: string }[]) {
      owners.set(row.peer_id, row.token);
    }
    const access = this.stmts.allAccess.all() as AccessRow[];
    return { parties, owners, seqs, access };
  }

  /**
   * Every readable member row, by party. An unreadable one is skipped alone: it used to make
   * its whole party unreadable at every start, the host's registering it again included.
   */
  private loadPeers(): Map<string, Map<string, PeerDict>> {
    const peersByParty = new Map<string, Map<string, PeerDict>>();
    for (const { party_id, ...row } of this.stmts.allPeers.all() as PeerRow[]) {
      const peer = PeerDictSchema.safeParse(row);
      if (!peer.success) {
        const why = peer.error.issues[0]?.message ?? 'unreadable';
        this.logger?.warn(`Skipping unreadable member ${row.peer_id} of ${party_id}: ${why}`);
        continue;
      }
      const peers = peersByParty.get(party_id) ?? new Map<string, PeerDict>();
      peers.set(row.peer_id, row);
      peersByParty.set(party_id, peers);
    }
    return peersByParty;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The party with its members in `order`: a dict puts integer-like keys ("42") first. */
function inJoinOrder(party: PartyInfo, order: readonly string[]): PartyInfo {
  const peers = new Map<string, PeerInfo>();
  for (const id of order) {
    const peer = party.peers.get(id);
    if (peer) peers.set(id, peer);
  }
  return peers.size === party.peers.size ? party.with({ peers }) : party;
}
