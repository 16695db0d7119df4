/**
 * A store batch flattened to plain rows: what SQLite needs, and what crosses to the writer
 * thread (structured clone copies plain data cheaply; class instances would lose their
 * prototypes). The diff is computed here, on the event loop, where the party values live.
 */
import type { PeerDict } from '../../shared/party/dicts';
import { settingsToDict } from '../../shared/party/settings';
import { diffParty, type StoreBatch } from './store';

export interface PartyRow {
  party_id: string;
  name: string;
  host_id: string;
  created_at: string;
  /** The party's settings dict as JSON. */
  settings: string;
}
export type PeerRow = PeerDict & { party_id: string };

export interface RowBatch {
  /** Parties removed with all their peers. */
  deleteParties: string[];
  upsertParties: PartyRow[];
  /** [party_id, peer_id] */
  deletePeers: [string, string][];
  upsertPeers: PeerRow[];
  /** [peer_id, token or null to delete], in order. */
  owners: [string, string | null][];
  /** [party_id, peer_id, last_seen] */
  touches: [string, string, string][];
  /** [party_id, seq]: the party's event number, after its rows are written. */
  seqs: [string, number][];
  /** [kind, key, value or null to delete], in order (server/access/records.ts). */
  access: [string, string, string | null][];
}

export function emptyRows(): RowBatch {
  return {
    deleteParties: [],
    upsertParties: [],
    deletePeers: [],
    upsertPeers: [],
    owners: [],
    touches: [],
    seqs: [],
    access: [],
  };
}

export function isEmptyRows(rows: RowBatch): boolean {
  return Object.values(rows).every((list: unknown[]) => list.length === 0);
}

export function toRows(batch: StoreBatch): RowBatch {
  const rows = emptyRows();
  for (const change of batch.parties) {
    if (!change.next) {
      rows.deleteParties.push(change.partyId);
      continue;
    }
    // New here: rows an unreadable copy left under its id (skipped at load) must not come back
    // as members of this one, nor keep it unreadable.
    if (!change.base) rows.deleteParties.push(change.partyId);
    const diff = diffParty(change.base, change.next);
    const p = diff.partyRow;
    if (p) {
      rows.upsertParties.push({
        party_id: p.partyId,
        name: p.name,
        host_id: p.hostId,
        created_at: p.createdAt.toISOString(),
        settings: JSON.stringify(settingsToDict(p.settings)),
      });
    }
    for (const peerId of diff.deletePeerIds) rows.deletePeers.push([change.partyId, peerId]);
    for (const peer of diff.upsertPeers) {
      rows.upsertPeers.push({ party_id: change.partyId, ...peer.toDict() });
    }
  }
  for (const o of batch.owners) rows.owners.push([o.peerId, o.token]);
  for (const t of batch.touches ?? []) {
    rows.touches.push([t.partyId, t.peerId, t.lastSeen.toISOString()]);
  }
  for (const [partyId, { seq }] of batch.seqs ?? []) rows.seqs.push([partyId, seq]);
  for (const a of batch.access ?? []) rows.access.push([a.kind, a.key, a.value]);
  return rows;
}
