/**
 * LAN discovery's log of what the LAN sends it that it cannot use: anyone on the LAN can send
 * as fast as they like. One entry per malformed packet made ~7,700 entries (1 MB) in 20 s
 * under a flood of garbage and cost each app about a quarter of a core. The first is logged
 * as it comes; after it, at most one line per LAN_LOG_EVERY_MS saying how many of each kind
 * (reason, and the address it came from when known) came since.
 */
import type { Clock, TimerHandle } from '../../../shared/time/clock';
import { LineThrottle } from '../../../shared/log-throttle';

export const LAN_LOG_EVERY_MS = 10_000;
/** Kinds counted per line at most: a flood of distinct ones is summed under OTHER. */
const MAX_KINDS = 16;
const OTHER = 'other';
const MAX_KIND_CHARS = 120;

type Log = (message: string, detail?: unknown) => void;

export class CountedLog {
  private readonly throttle: LineThrottle;
  private counts = new Map<string, number>();
  private flushAt: TimerHandle | null = null;

  constructor(
    private readonly message: string,
    private readonly log: Log,
    private readonly clock: Clock,
  ) {
    this.throttle = new LineThrottle(LAN_LOG_EVERY_MS, () => clock.now());
  }

  /** One occurrence of each of `kinds`; `detail` is what the first line says (default kinds). */
  add(kinds: readonly string[], detail: unknown = kinds): void {
    if (this.flushAt === null && this.throttle.take() !== null) {
      this.log(this.message, detail);
      this.flushAt = this.clock.setTimeout(() => this.flush(), LAN_LOG_EVERY_MS);
      return;
    }
    for (const raw of kinds) {
      const kind = raw.slice(0, MAX_KIND_CHARS);
      const key = this.counts.has(kind) || this.counts.size < MAX_KINDS ? kind : OTHER;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  /** Stops its timer (what is counted and not yet said is dropped). */
  close(): void {
    if (this.flushAt !== null) this.clock.clearTimeout(this.flushAt);
    this.flushAt = null;
  }

  private flush(): void {
    this.flushAt = null;
    if (this.counts.size === 0) return;
    this.throttle.take();
    this.log(`${this.message} (${this.total()} more in ${LAN_LOG_EVERY_MS / 1000} s)`, {
      ...Object.fromEntries(this.counts),
    });
    this.counts = new Map();
    this.flushAt = this.clock.setTimeout(() => this.flush(), LAN_LOG_EVERY_MS);
  }

  private total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
}

/**
 * `party_x._lanrage._tcp.local: names party party_y` → `names party party_…`: the reason
 * alone, its ids and numbers blanked, so that each random id does not count as a kind.
 */
export function reasonOf(refusal: string): string {
  const at = refusal.indexOf('.local: ');
  const reason = at === -1 ? refusal : refusal.slice(at + '.local: '.length);
  return reason.replace(/party_[A-Za-z0-9_-]+/g, 'party_…').replace(/\d+/g, 'N');
}
