/**
 * Party ids once registered are never registered again: an old invite link must not lead
 * into a stranger's party that took the id after the first one closed. The one exception is
 * the installation that first registered it (its identity key), bringing its own party back.
 */
import { z } from 'zod';
import { AccessKind, readJson, type AccessSink, type RowTable } from './records';

const UsedRowSchema = z.object({ at: z.string(), key: z.string().nullable() });

export class UsedPartyIds implements RowTable {
  /** party id → the identity key that registered it first (null: a keyless client). */
  private readonly used = new Map<string, string | null>();

  constructor(
    rows: ReadonlyMap<string, string>,
    private readonly sink: AccessSink,
  ) {
    for (const [partyId, value] of rows) this.applyRow(partyId, value);
  }

  applyRow(partyId: string, value: string | null): boolean {
    if (value === null) {
      this.used.delete(partyId);
      return true;
    }
    // Unreadable, the id still counts as used (by no key): an old link must not lead anywhere.
    const parsed = UsedRowSchema.safeParse(readJson(value));
    this.used.set(partyId, parsed.success ? parsed.data.key : null);
    return parsed.success;
  }

  rowKeys(): string[] {
    return [...this.used.keys()];
  }

  has(partyId: string): boolean {
    return this.used.has(partyId);
  }

  /** Whether a client proving `key` may register `partyId` (never used, or used by that key). */
  mayRegister(partyId: string, key: string | null): boolean {
    if (!this.used.has(partyId)) return true;
    const first = this.used.get(partyId);
    return first !== null && first !== undefined && first === key;
  }

  /**
   * The operator ended the party: its id is now no one's, so not even the app that first
   * registered it may bring it back (as it does a party the server lost, on reconnecting).
   */
  retire(partyId: string, at: Date): void {
    if (this.used.has(partyId) && this.used.get(partyId) === null) return;
    this.used.set(partyId, null);
    const row = JSON.stringify({ at: at.toISOString(), key: null });
    this.sink.recordAccess(AccessKind.USED_ID, partyId, row);
  }

  add(partyId: string, at: Date, key: string | null): void {
    if (this.used.has(partyId)) return;
    this.used.set(partyId, key);
    const row = JSON.stringify({ at: at.toISOString(), key });
    this.sink.recordAccess(AccessKind.USED_ID, partyId, row);
  }
}
