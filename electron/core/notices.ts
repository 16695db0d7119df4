/**
 * What the user must be told that is not an answer to something they did: a corrupt file
 * kept aside, an identity that changed, a setting clamped. Shown in the UI as a list the
 * user dismisses (not only in the log). Bounded: a flood of faults cannot grow it forever.
 */
import type { Notice } from '../../shared/ipc/app-state';

/** Tells the user something (one plain sentence or two). */
export type Report = (message: string) => void;

export const MAX_NOTICES = 20;

export class NoticeBoard {
  private notices: Notice[] = [];
  private nextId = 1;
  private readonly listeners = new Set<(notices: Notice[]) => void>();

  /** Adds a notice; one already shown is not repeated, the oldest goes past MAX_NOTICES. */
  readonly report: Report = (message) => {
    if (this.notices.some((n) => n.message === message)) return;
    this.notices = [...this.notices, { id: `n${this.nextId++}`, message }].slice(-MAX_NOTICES);
    this.changed();
  };

  /**
   * A notice whose Join picks `partyId` under Parties nearby ("… is back"): one per party, taken
   * back with `withdraw` once it no longer holds (joined, or not heard any more).
   */
  offer(message: string, partyId: string): void {
    const others = this.notices.filter((n) => n.join_party_id !== partyId);
    const notice = { id: `n${this.nextId++}`, message, join_party_id: partyId };
    this.notices = [...others, notice].slice(-MAX_NOTICES);
    this.changed();
  }

  withdraw(partyId: string): void {
    const kept = this.notices.filter((n) => n.join_party_id !== partyId);
    if (kept.length === this.notices.length) return;
    this.notices = kept;
    this.changed();
  }

  /** False when no notice has this id (already dismissed). */
  dismiss(id: string): boolean {
    const kept = this.notices.filter((n) => n.id !== id);
    if (kept.length === this.notices.length) return false;
    this.notices = kept;
    this.changed();
    return true;
  }

  list(): Notice[] {
    return this.notices;
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: (notices: Notice[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener(this.notices);
  }
}

/**
 * A fault that recurs until something succeeds (a save the disk refuses): told once however
 * often it recurs, and told again after a success.
 */
export class RecurringFault {
  private told = false;

  constructor(private readonly report: Report | undefined) {}

  tell(message: string): void {
    if (!this.told) this.report?.(message);
    this.told = true;
  }

  cleared(): void {
    this.told = false;
  }
}
