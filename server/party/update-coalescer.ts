/**
 * `update_peer` at most once per interval per peer. A client renaming itself twice in a
 * second is normal and must not be refused; a script sending hundreds must not make every
 * member receive hundreds of snapshots (33 KiB sent became 6.5 MiB fanned out). So an
 * update inside the interval is held, a later one replaces it, and the latest is applied
 * when the interval ends. Every request held is answered once the update that superseded
 * it is durable (or with that update's error), so an acknowledgement still means stored.
 */
import type { Clock, TimerHandle } from '../../shared/time/clock';
import type { ServerMessageInput } from '../../shared/protocol/protocol';

/** Makes the update; returns its answer (an ack, with the event number it made). */
type Apply = () => ServerMessageInput;

interface Held {
  apply: Apply;
  waiters: Array<{ resolve: (m: ServerMessageInput) => void; reject: (e: unknown) => void }>;
  timer: TimerHandle;
}

/** The key a peer's updates are held under: `update_peer` and a rejoin share it. */
export const updateKey = (partyId: string, peerId: string): string => `${partyId}\u0000${peerId}`;

const same = <T>(applied: ServerMessageInput): T => applied as T;

export class UpdateCoalescer {
  /** key → when its last update was applied (ms). */
  private readonly applied = new Map<string, number>();
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly intervalMs: number,
    // One clock for the time and the timer: the delay is reckoned on it.
    private readonly clock: Clock,
  ) {}

  /**
   * `apply` makes the update (validated already) and is called now or, for a held update, at
   * the end of the interval, when it must re-validate against the party as it is then.
   * `answer` makes this request's answer from what the applied update answered (a rejoin
   * answers with the party, `update_peer` with the ack as it is).
   */
  submit<T = ServerMessageInput>(
    key: string,
    apply: Apply,
    answer: (applied: ServerMessageInput) => T = same,
  ): T | Promise<T> {
    const held = this.held.get(key);
    const waiter = (resolve: (a: T) => void, reject: (e: unknown) => void) => ({
      resolve: (m: ServerMessageInput) => settle(() => answer(m), resolve, reject),
      reject,
    });
    if (held) {
      held.apply = apply;
      return new Promise((resolve, reject) => held.waiters.push(waiter(resolve, reject)));
    }
    const now = this.clock.now();
    const last = this.applied.get(key);
    if (this.intervalMs <= 0 || last === undefined || now - last >= this.intervalMs) {
      const applied = apply();
      if (this.intervalMs > 0) this.applied.set(key, now);
      return answer(applied);
    }
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => this.flush(key), last + this.intervalMs - now);
      this.held.set(key, { apply, waiters: [waiter(resolve, reject)], timer });
    });
  }

  private flush(key: string): void {
    const held = this.held.get(key);
    if (!held) return;
    this.held.delete(key);
    this.clock.clearTimeout(held.timer);
    this.applied.set(key, this.clock.now());
    let answer: ServerMessageInput;
    try {
      answer = held.apply();
    } catch (error) {
      for (const w of held.waiters) w.reject(error);
      return;
    }
    for (const w of held.waiters) w.resolve(answer);
  }

  /** Applies every held update now (at shutdown, so no acknowledged rename is lost). */
  flushAll(): void {
    for (const key of [...this.held.keys()]) this.flush(key);
  }

  /** Forgets peers whose last update is older than the interval (run with the sweep). */
  prune(): void {
    const cutoff = this.clock.now() - this.intervalMs;
    for (const [key, at] of this.applied) if (at <= cutoff) this.applied.delete(key);
  }
}

function settle<T>(make: () => T, resolve: (a: T) => void, reject: (e: unknown) => void): void {
  try {
    resolve(make());
  } catch (error) {
    reject(error);
  }
}
