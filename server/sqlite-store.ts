/**
 * The durable store: SQLite through better-sqlite3 in `<dataDir>/lanrage.db`, WAL with
 * synchronous=FULL so a committed batch survives a SIGKILL or a power cut.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PartyInfo, type PeerDict, type PeerInfo } from '../shared/model';
import type { Logger } from './logger';
import { diffParty, type LoadedState, type PartyStore, type StoreBatch } from './store';

export const DB_FILE = 'lanrage.db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS parties (
  party_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  host_id TEXT NOT NULL,
  created_at TEXT NOT NULL
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
`;

interface PartyRow {
  party_id: string;
  name: string;
  host_id: string;
  created_at: string;
}
type PeerRow = PeerDict & { party_id: string };

export class SqlitePartyStore implements PartyStore {
  private readonly db: Database.Database;
  private readonly stmts;
  private readonly applyBatch: (batch: StoreBatch) => void;

  constructor(
    dataDir: string,
    private readonly logger?: Logger,
  ) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = new Database(path.join(dataDir, DB_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    this.stmts = this.prepare();
    this.applyBatch = this.db.transaction((batch: StoreBatch) => this.applyAll(batch));
  }

  private prepare() {
    const db = this.db;
    return {
      upsertParty: db.prepare(
        `INSERT INTO parties (party_id, name, host_id, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(party_id) DO UPDATE SET name = excluded.name, host_id = excluded.host_id,
         created_at = excluded.created_at`,
      ),
      deleteParty: db.prepare('DELETE FROM parties WHERE party_id = ?'),
      deletePartyPeers: db.prepare('DELETE FROM peers WHERE party_id = ?'),
      upsertPeer: db.prepare(
        `INSERT OR REPLACE INTO peers (party_id, peer_id, name, public_key, nat_type, public_ip,
         public_port, local_ip, local_port, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deletePeer: db.prepare('DELETE FROM peers WHERE party_id = ? AND peer_id = ?'),
      upsertOwner: db.prepare('INSERT OR REPLACE INTO peer_owners (peer_id, token) VALUES (?, ?)'),
      allParties: db.prepare('SELECT party_id, name, host_id, created_at FROM parties'),
      allPeers: db.prepare('SELECT * FROM peers'),
      allOwners: db.prepare('SELECT peer_id, token FROM peer_owners'),
    };
  }

  private upsertPeer(partyId: string, peer: PeerInfo): void {
    const d = peer.toDict();
    this.stmts.upsertPeer.run(
      partyId,
      d.peer_id,
      d.name,
      d.public_key,
      d.nat_type,
      d.public_ip,
      d.public_port,
      d.local_ip,
      d.local_port,
      d.last_seen,
    );
  }

  private applyAll(batch: StoreBatch): void {
    for (const change of batch.parties) {
      const diff = diffParty(change.base, change.next);
      if (!change.next) {
        this.stmts.deletePartyPeers.run(change.partyId);
        this.stmts.deleteParty.run(change.partyId);
        continue;
      }
      if (diff.partyRow) {
        const p = diff.partyRow;
        this.stmts.upsertParty.run(p.partyId, p.name, p.hostId, p.createdAt.toISOString());
      }
      for (const peerId of diff.deletePeerIds) this.stmts.deletePeer.run(change.partyId, peerId);
      for (const peer of diff.upsertPeers) this.upsertPeer(change.partyId, peer);
    }
    for (const owner of batch.owners) this.stmts.upsertOwner.run(owner.peerId, owner.token);
  }

  commit(batch: StoreBatch): void {
    if (batch.parties.length === 0 && batch.owners.length === 0) return;
    this.applyBatch(batch);
  }

  /** Reads everything back, validating each row; a corrupt row is skipped, not fatal. */
  load(): LoadedState {
    const peersByParty = new Map<string, Record<string, PeerDict>>();
    for (const row of this.stmts.allPeers.all() as PeerRow[]) {
      const { party_id, ...peer } = row;
      const peers = peersByParty.get(party_id) ?? {};
      peers[peer.peer_id] = peer;
      peersByParty.set(party_id, peers);
    }
    const parties = new Map<string, PartyInfo>();
    for (const row of this.stmts.allParties.all() as PartyRow[]) {
      try {
        const party = PartyInfo.fromDict({ ...row, peers: peersByParty.get(row.party_id) ?? {} });
        parties.set(party.partyId, party);
      } catch (error) {
        this.logger?.warn(`Skipping unreadable party ${row.party_id}: ${String(error)}`);
      }
    }
    const owners = new Map<string, string>();
    for (const row of this.stmts.allOwners.all() as { peer_id: string; token: string }[]) {
      owners.set(row.peer_id, row.token);
    }
    return { parties, owners };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
