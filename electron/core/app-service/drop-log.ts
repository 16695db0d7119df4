/**
 * The log line for a signal the app dropped, at most once a minute per sender and reason, with
 * how many it dropped meanwhile: one per signal, a member sending junk 20 times a second filled
 * stderr with 680 lines in 45 s (a review's flood). A warning: the app goes on, and what was
 * dropped came from someone else.
 */
import { withDetail, type Logger } from '../../../shared/logger';

export const DROP_LOG_GAP_MS = 60_000;

/** Senders remembered at once: a server may push any sender id (it is untrusted too). */
export const MAX_DROP_SENDERS = 512;

interface Seen {
  /** When its last line was written. */
  at: number;
  /** Drops since, not written. */
  unsaid: number;
}

export class DropLog {
  /** `reason\nfrom` → its last line; in the order written (oldest first). */
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  dropped(reason: string, detail: { partyId: string; from: string }): void {
    const key = `${reason}\n${detail.from}`;
    const now = this.now();
    const seen = this.seen.get(key);
    // A clock set back (now < at) does not silence a sender for as long as it moved.
    if (seen !== undefined && now - seen.at < DROP_LOG_GAP_MS && now >= seen.at) {
      seen.unsaid += 1;
      return;
    }
    this.seen.delete(key);
    if (this.seen.size >= MAX_DROP_SENDERS) this.forgetOldest();
    this.seen.set(key, { at: now, unsaid: 0 });
    const unsaid = seen?.unsaid ?? 0;
    const said = unsaid > 0 ? { ...detail, alsoDroppedSinceLastLine: unsaid } : detail;
    this.logger.warn(withDetail(reason, said));
  }

  private forgetOldest(): void {
    const oldest = this.seen.keys().next();
    if (!oldest.done) this.seen.delete(oldest.value);
  }
}
