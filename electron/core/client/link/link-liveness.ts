/**
 * A server gone without a FIN or RST (its machine lost power, a LAN host asleep, a NAT that
 * forgot us) leaves a socket that looks open until TCP gives up, some 15 minutes: the app
 * said "Connected", its heartbeats timed out one by one, and it never reconnected. Quiet for
 * `quietMs`, the client pings (every server pongs, as RFC 6455 asks); a ping unanswered for
 * the next check makes the link quiet (the status bar says the server is not answering, and
 * nobody's status is shown as known); quiet for `deadMs`, the link is ended and the owner
 * reconnects. Measured on the monotonic clock, so a PC waking from sleep pings first instead
 * of dropping a link that may have survived.
 */
export interface Liveness {
  quietMs: number;
  deadMs: number;
}

export const DEFAULT_LIVENESS: Liveness = { quietMs: 10_000, deadMs: 25_000 };

export interface LivenessHooks {
  /** Whether the link is still open: a closing one is left alone. */
  isOpen(): boolean;
  ping(): void;
  /** A ping went unanswered (true), or the server was heard again after one did (false). */
  quiet(quiet: boolean): void;
  /** Silent for `silentMs`, at least deadMs: end the link. */
  dead(silentMs: number): void;
}

export class LinkLiveness {
  private lastHeard = performance.now();
  /** When the first ping of this quiet stretch went out; null: none yet. */
  private pingedAt: number | null = null;
  private unanswered = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly liveness: Liveness,
    private readonly hooks: LivenessHooks,
  ) {
    this.timer = setInterval(() => this.check(), liveness.quietMs / 2);
    this.timer.unref();
  }

  /** Any frame from the server, a pong or a ping included. */
  heard(): void {
    this.lastHeard = performance.now();
    this.pingedAt = null;
    if (!this.unanswered) return;
    this.unanswered = false;
    this.hooks.quiet(false);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    if (!this.hooks.isOpen()) return;
    const now = performance.now();
    const silent = now - this.lastHeard;
    if (silent >= this.liveness.deadMs) return this.hooks.dead(silent);
    if (silent < this.liveness.quietMs) return;
    // One check period for the pong: a server on the other side of the world answers in ms.
    const waited = this.pingedAt === null ? 0 : now - this.pingedAt;
    if (!this.unanswered && waited >= this.liveness.quietMs / 2) {
      this.unanswered = true;
      this.hooks.quiet(true);
    }
    this.pingedAt ??= now;
    this.hooks.ping();
  }
}
