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
 * is first pinged in the next. Slices with no connection set no timer: a desktop's embedded
 * server with three connections wakes three times an interval, not fifty times a second.
 */
import type { Clock, TimerHandle } from '../../shared/clock';

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

/** Starts pinging; returns what stops it. */
export function startKeepalive<S extends Pingable>(
  clock: Clock,
  connections: ReadonlyMap<S, KeptAlive>,
  intervalMs: number,
): () => void {
  const slices = pingSlices(intervalMs);
  const tickMs = intervalMs / slices;
  let roundStart = clock.now();
  let buckets = fill(connections, slices);
  let slice = 0;
  let timer: TimerHandle | null = null;

  const schedule = (): void => {
    while (slice < slices && buckets[slice]!.length === 0) slice++;
    // Due times come from the round's start, so a late tick does not push the rest later.
    const due = roundStart + (slice < slices ? (slice + 1) * tickMs : intervalMs + tickMs);
    timer = clock.setTimeout(run, Math.max(0, due - clock.now()));
  };
  const run = (): void => {
    if (slice >= slices) {
      roundStart += intervalMs;
      buckets = fill(connections, slices);
      slice = 0;
    }
    pingSlice(connections, buckets[slice]!);
    buckets[slice] = [];
    slice++;
    schedule();
  };
  schedule();
  return () => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };
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
