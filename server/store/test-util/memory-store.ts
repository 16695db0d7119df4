/**
 * Test support: a store in memory, with switches to make a commit or a ping fail. Unit
 * tests, the protocol suites and bench:cost run the server core on it.
 */
import type { PartyInfo } from '../../../shared/model';
import type { AccessRow } from '../../access/records';
import type { LoadedState, PartyStore, PeerTouch, StoreBatch } from '../store';

export class MemoryPartyStore implements PartyStore {
  readonly parties = new Map<string, PartyInfo>();
  readonly owners = new Map<string, string>();
  readonly seqs = new Map<string, number>();
  /** `kind key` → row. */
  readonly access = new Map<string, AccessRow>();
  commits = 0;
  /** When set, the next commit throws it (to test storage failures). */
  failNext: Error | null = null;
  /** When set, ping() rejects with it (to test readiness). */
  unreachable: Error | null = null;

  ping(): Promise<void> {
    return this.unreachable ? Promise.reject(this.unreachable) : Promise.resolve();
  }

  load(): LoadedState {
    return {
      parties: new Map(this.parties),
      owners: new Map(this.owners),
      seqs: new Map(this.seqs),
      access: [...this.access.values()],
    };
  }

  commit(batch: StoreBatch): void {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = null;
      throw error;
    }
    for (const change of batch.parties) {
      if (change.next) this.parties.set(change.partyId, change.next);
      else {
        this.parties.delete(change.partyId);
        this.seqs.delete(change.partyId);
      }
    }
    for (const [partyId, { seq }] of batch.seqs ?? []) {
      if (this.parties.has(partyId)) this.seqs.set(partyId, seq);
    }
    for (const owner of batch.owners) {
      if (owner.token === null) this.owners.delete(owner.peerId);
      else this.owners.set(owner.peerId, owner.token);
    }
    for (const touch of batch.touches ?? []) this.applyTouch(touch);
    for (const row of batch.access ?? []) {
      const key = `${row.kind} ${row.key}`;
      if (row.value === null) this.access.delete(key);
      else this.access.set(key, row);
    }
    this.commits += 1;
  }

  private applyTouch({ partyId, peerId, lastSeen }: PeerTouch): void {
    const party = this.parties.get(partyId);
    const peer = party?.peers.get(peerId);
    if (!party || !peer) return;
    const peers = new Map(party.peers).set(peerId, peer.with({ lastSeen }));
    this.parties.set(partyId, party.with({ peers }));
  }

  close(): void {}
}
