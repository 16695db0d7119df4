/**
 * What a server read back from a store several servers share, by the store's commit count
 * (server/state/redis/commit.ts): changes from the others arrive on a connection of their
 * own, in commit order, and a read on the store's connection may pass them. A change in
 * flight, taken after the read, would set the copy back to an earlier state (a member who
 * left, there again; an ownership taken over, back with its old session).
 */

/** Keys whose last read is remembered at most. */
export const MAX_READ_MARKS = 50_000;

export class ReadMarks {
  /** Per key (a party id, a peer id), the store's commit count at its last read here. */
  private readonly readAt = new Map<string, number>();
  /** The count at the last read of any key. */
  private lastRead = 0;

  /** The store was read at commit count `at` (undefined: a store that counts none). */
  markRead(key: string, at: number | undefined): void {
    if (at === undefined) return;
    // Reads are answered in order on one connection: a lower count is a Redis that lost its data.
    if (at < this.lastRead) this.readAt.clear();
    // Reads of made-up ids mark too; with no commit anywhere to clear them, a flood of such
    // requests would grow this without end. Dropped, a mark costs only the race it guards.
    if (this.readAt.size >= MAX_READ_MARKS) this.readAt.clear();
    this.lastRead = at;
    this.readAt.set(key, Math.max(at, this.readAt.get(key) ?? 0));
  }

  /**
   * Whether the change published as commit `commit` is older than the last read of `key`
   * here (undefined: from a server that does not count). Once one newer than every read
   * arrives, so will the rest: the marks are dropped.
   */
  readSince(key: string, commit: number | undefined): boolean {
    if (commit === undefined || this.readAt.size === 0) return false;
    if (commit > this.lastRead) {
      this.readAt.clear();
      return false;
    }
    return (this.readAt.get(key) ?? 0) >= commit;
  }
}
