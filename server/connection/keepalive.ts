/**
 * The keepalive: each connection is pinged once per interval and cut off if it did not answer
 * the one before (a peer whose machine vanished without closing its socket).
 *
 * The pings are spread over the interval in slices PING_TICK_MS apart, each pinging the
 * connections whose id falls in it. A ping is one socket write, ~25 µs on the 2-core test
 * machine, and its pong a read about as dear: pinging 19 000 connections in one go held the
 * event loop for 0.4–0.6 s every 30 s, and 30 slices a second apart still held it ~16 ms each
 * second, long enough that about one join in a hundred waited behind one (the p99 of
 * bench:server at 5 000–19 000 peers). At PING_TICK_MS a slice holds a few dozen pings even
 * at 19 000 peers.
 *
 * A connection keeps its slice from one round to the next, so its pings stay one interval
 * apart and a pong is never judged late after less than that. The slices are filled once a
 * round (one pass over the connections, not one per tick); a connection opened during a round
 * is added to its slice if that is still to come. Slices with no connection set no timer: a
 * desktop's embedded server with three connections wakes three times an interval, not fifty
 * times a second.
 */
import type { Clock, TimerHandle } from '../../shared/time/clock';

/** How far apart the slices of a round are. */
export const PING_TICK_MS = 20;

/** What the keepalive needs of a socket. */
export interface Pingable {
  ping(): void;
  terminate(): void;
}

/** What it needs of a connection: its id (the slice) and whether it answered. */
export interface KeptAlive {
  readonly id: number;
  isAlive: boolean;
}

/** The slices of one round: at least one, PING_TICK_MS apart. */
export function pingSlices(intervalMs: number): number {
  return Math.max(1, Math.floor(intervalMs / PING_TICK_MS));
}

/** Pings the connections in `connections`: `start`, tell it of each one `opened`, `stop`. */
export class Keepalive<S extends Pingable> {
  private readonly slices: number;
  private readonly tickMs: number;
  private roundStart = 0;
  private buckets: S[][] = [];
  /** The slice the timer is set for (`slices`: the next round's start). */
  private slice = 0;
  private timer: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly connections: ReadonlyMap<S, KeptAlive>,
    private readonly intervalMs: number,
  ) {
    this.slices = pingSlices(intervalMs);
    this.tickMs = intervalMs / this.slices;
  }

  start(): void {
    if (this.timer !== null) return;
    this.roundStart = this.clock.now();
    this.buckets = fill(this.connections, this.slices);
    this.slice = 0;
    this.schedule();
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * A connection was added: pinged at its slice's turn in this round if that is still to
   * come (within one interval, as if it had been there all along), else from the next.
   */
  opened(ws: S, conn: KeptAlive): void {
    if (this.timer === null) return;
    const slice = conn.id % this.slices;
    if (this.dueAt(slice) <= this.clock.now()) return;
    this.buckets[slice]!.push(ws);
    if (slice >= this.slice) return;
    // The timer skipped this slice while it was empty.
    this.clock.clearTimeout(this.timer);
    this.slice = slice;
    this.schedule();
  }

  /**
   * A connection was closed: dropped from its slice now, so a server whose clients come and
   * go does not keep an interval's worth of closed sockets reachable.
   */
  closed(ws: S, conn: KeptAlive): void {
    const bucket = this.buckets[conn.id % this.slices];
    const at = bucket?.indexOf(ws) ?? -1;
    if (at >= 0) bucket!.splice(at, 1);
  }

  /** Sockets still to be pinged this round (each held until its turn). */
  get waiting(): number {
    return this.buckets.reduce((sum, bucket) => sum + bucket.length, 0);
  }

  /** When `slice` of this round is due; `slices`: the next round's first. */
  private dueAt(slice: number): number {
    // From the round's start, so a late tick does not push the rest later.
    return this.roundStart + (slice + 1) * this.tickMs;
  }

  private schedule(): void {
    while (this.slice < this.slices && this.buckets[this.slice]!.length === 0) this.slice++;
    const due = this.slice < this.slices ? this.dueAt(this.slice) : this.dueAt(this.slices);
    this.timer = this.clock.setTimeout(() => this.run(), Math.max(0, due - this.clock.now()));
  }

  private run(): void {
    if (this.slice >= this.slices) {
      this.roundStart += this.intervalMs;
      this.buckets = fill(this.connections, this.slices);
      this.slice = 0;
    }
    pingSlice(this.connections, this.buckets[this.slice]!);
    this.buckets[this.slice] = [];
    this.slice++;
    this.schedule();
  }
}

function fill<S>(connections: ReadonlyMap<S, KeptAlive>, slices: number): S[][] {
  const buckets = Array.from({ length: slices }, (): S[] => []);
  for (const [ws, conn] of connections) buckets[conn.id % slices]!.push(ws);
  return buckets;
}

function pingSlice<S extends Pingable>(connections: ReadonlyMap<S, KeptAlive>, bucket: S[]): void {
  for (const ws of bucket) {
    const conn = connections.get(ws);
    // Closed since the round began.
    if (!conn) continue;
    if (!conn.isAlive) {
      ws.terminate();
      continue;
    }
    conn.isAlive = false;
    ws.ping();
  }
}
