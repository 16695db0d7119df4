/**
 * Each party's event number and, where several servers share the store, the version its
 * copy here is at. The number alone cannot tell two versions apart: when two servers change
 * a party at number 6, one commit is refused, yet the refused server's copy stays at a
 * number 7 built on its own 6 until it is read back, and a change made on it meanwhile
 * would have passed a check of numbers against the other server's 7 and written over it.
 * A version is unique to one change on one server (a random prefix per process, then a
 * counter), so a commit built on a version the store does not hold is always refused.
 */
import { randomBytes } from 'node:crypto';
import type { SeqChange } from '../store/store';
import { ReadMarks } from '../store/read-marks';

/** What a copy known to be out of step is labelled: no version in the store is ever this. */
const STALE = '!stale';

export class PartyVersions {
  private readonly seqs: Map<string, number>;
  /** Only kept when `labelled` (a shared store); absent: '' (a store that keeps none). */
  private readonly labels: Map<string, string>;
  private readonly prefix = randomBytes(6).toString('base64url');
  private counter = 0;
  private readonly holds = new Map<string, Promise<void>>();

  constructor(
    seqs: ReadonlyMap<string, number> = new Map(),
    labels: ReadonlyMap<string, string> = new Map(),
    private readonly labelled = false,
  ) {
    this.seqs = new Map(seqs);
    this.labels = new Map(labels);
  }

  seqOf(partyId: string): number {
    return this.seqs.get(partyId) ?? 0;
  }

  versionOf(partyId: string): string {
    return this.labels.get(partyId) ?? '';
  }

  /** Whether the copy here is known to be out of step with the store (read it back). */
  isStale(partyId: string): boolean {
    return this.labels.get(partyId) === STALE;
  }

  /** A change made here moved the party's number to `seq`: what the store must check. */
  advance(partyId: string, seq: number): SeqChange {
    const change: SeqChange = { base: this.seqOf(partyId), seq };
    this.seqs.set(partyId, seq);
    if (this.labelled) {
      change.baseVersion = this.versionOf(partyId);
      change.version = `${this.prefix}${(this.counter++).toString(36)}`;
      // Made on a stale copy, it is stale too (and its commit refused) until read back.
      if (change.baseVersion !== STALE) this.labels.set(partyId, change.version);
    }
    return change;
  }

  /** The store's (or another server's) version of the party replaces the copy here. */
  set(partyId: string, seq: number, version: string): void {
    this.seqs.set(partyId, seq);
    if (this.labelled) this.labels.set(partyId, version);
  }

  /** Every change made on this copy is refused until it is read back. */
  markStale(partyId: string): void {
    if (this.labelled && this.seqs.has(partyId)) this.labels.set(partyId, STALE);
  }

  /**
   * A commit whose last change of the party made `version` was refused: if the copy here is
   * still that version, it holds a change the store does not, and is stale until `reload`
   * settles (requests on the party wait for it: heldBy). Returns whether it was.
   */
  taint(partyId: string, version: string | undefined, reload: Promise<void>): boolean {
    if (version === undefined || this.labels.get(partyId) !== version) return false;
    this.markStale(partyId);
    this.holds.set(partyId, reload);
    const release = (): void => {
      if (this.holds.get(partyId) === reload) this.holds.delete(partyId);
    };
    reload.then(release, release);
    return true;
  }

  /** The reload a request on the party waits for (its copy here is being read back). */
  heldBy(partyId: string): Promise<void> | undefined {
    return this.holds.size === 0 ? undefined : this.holds.get(partyId);
  }

  /**
   * Where the copy here of each party was last compared with the store (ReadMarks): kept
   * when the party is deleted here, or a change published before the read that found it
   * gone would bring it back.
   */
  readonly reads = new ReadMarks();

  delete(partyId: string): void {
    this.seqs.delete(partyId);
    this.labels.delete(partyId);
  }
}
