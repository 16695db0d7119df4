/**
 * `/readyz`'s 503s as the operator reads them. Each was a warning of its own, and anyone who
 * can reach the port asks as often as they like: during a Redis outage 300 requests wrote 303
 * lines in 0.37 s, and two balancers' 1 s probes buried the one line that mattered. Now the
 * reason is said when it starts or changes, then at most every READY_LOG_EVERY_MS with how
 * many 503s came since, and once more, as info, when the store is ready again.
 */
import type { Logger } from '../../shared/logger';
import { LineThrottle } from '../log-throttle';

export const READY_LOG_EVERY_MS = 10_000;

/** What the probe handler tells it (server/http/health.ts). */
export interface Readiness {
  /** A 503: `kind` is what is wrong ("the store does not answer"), `detail` its error. */
  notReady(kind: string, detail: string): void;
  /** A 200. */
  ready(): void;
}

export class ReadinessLog implements Readiness {
  private readonly throttle: LineThrottle;
  /** What the last 503 was for; null while ready. */
  private kind: string | null = null;
  /** 503s since the store was last ready. */
  private answered = 0;

  constructor(
    private readonly logger: Logger,
    /** The probe's path, as the lines name it. */
    private readonly path: string,
    now: () => number = () => performance.now(),
  ) {
    this.throttle = new LineThrottle(READY_LOG_EVERY_MS, now);
  }

  notReady(kind: string, detail: string): void {
    this.answered += 1;
    // A new reason is said at once: it is news, and the store decides it, not the prober.
    if (kind !== this.kind) this.throttle.reset();
    this.kind = kind;
    const held = this.throttle.take();
    if (held === null) return;
    const since = held > 0 ? `; ${held} more 503s since the last such line` : '';
    this.logger.warn(`${this.path} answered 503: ${kind} (${detail})${since}`);
  }

  ready(): void {
    if (this.kind === null) return;
    this.logger.info(`${this.path} answers 200 again, after ${this.answered} 503s`);
    this.kind = null;
    this.answered = 0;
    this.throttle.reset();
  }
}
