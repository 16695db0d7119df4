import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ManualClock } from '../../electron/core/test-util/manual-clock';
import { TestRig } from '../test-util/support';
import { Keepalive, pingSlices, type KeptAlive, type Pingable } from './keepalive';

class FakeSocket implements Pingable {
  pings: number[] = [];
  terminated = false;
  constructor(private readonly clock: ManualClock) {}
  ping(): void {
    this.pings.push(this.clock.now());
  }
  terminate(): void {
    this.terminated = true;
  }
}

function fleet(clock: ManualClock, count: number) {
  const connections = new Map<FakeSocket, KeptAlive>();
  for (let id = 1; id <= count; id++) connections.set(new FakeSocket(clock), { id, isAlive: true });
  return connections;
}

function startKeepalive<S extends Pingable>(
  clock: ManualClock,
  connections: Map<S, KeptAlive>,
  intervalMs: number,
): { keepalive: Keepalive<S>; stop: () => void } {
  const keepalive = new Keepalive(clock, connections, intervalMs);
  keepalive.start();
  return { keepalive, stop: () => keepalive.stop() };
}

describe('keepalive', () => {
  const INTERVAL = 30_000;
  const SLICES = pingSlices(INTERVAL);
  const TICK = INTERVAL / SLICES;

  it('pings every connection once per interval, a few at a time spread over the interval', async () => {
    const clock = new ManualClock(0);
    const connections = fleet(clock, 19_000);
    const { stop } = startKeepalive(clock, connections, INTERVAL);
    await clock.advance(INTERVAL);
    stop();
    const times = [...connections.keys()].map((ws) => ws.pings);
    expect(times.every((t) => t.length === 1)).toBe(true);
    const perTick = new Map<number, number>();
    for (const [t] of times) perTick.set(t!, (perTick.get(t!) ?? 0) + 1);
    expect(perTick.size).toBe(SLICES);
    expect(Math.max(...perTick.values())).toBe(Math.ceil(19_000 / SLICES));
    expect(Math.max(...perTick.values())).toBeLessThanOrEqual(16);
    expect(Math.min(...perTick.keys())).toBe(TICK);
    expect(Math.max(...perTick.keys())).toBe(INTERVAL);
  });

  it("keeps a connection's pings one interval apart", async () => {
    const clock = new ManualClock(0);
    const connections = fleet(clock, 500);
    const { stop } = startKeepalive(clock, connections, INTERVAL);
    for (let round = 0; round < 4; round++) {
      await clock.advance(INTERVAL);
      for (const conn of connections.values()) conn.isAlive = true;
    }
    stop();
    const gaps = [...connections.keys()].flatMap((ws) =>
      ws.pings.slice(1).map((t, i) => t - ws.pings[i]!),
    );
    expect(gaps.length).toBeGreaterThan(500);
    expect(gaps.every((gap) => Math.abs(gap - INTERVAL) < 1)).toBe(true);
  });

  it('pings a connection opened mid-round at its slice if still to come, else in the next round', async () => {
    const clock = new ManualClock(0);
    const connections = fleet(clock, 10);
    const { keepalive, stop } = startKeepalive(clock, connections, INTERVAL);
    await clock.advance(INTERVAL + 100 * TICK);
    for (const conn of connections.values()) conn.isAlive = true;
    const open = (id: number): FakeSocket => {
      const ws = new FakeSocket(clock);
      connections.set(ws, { id, isAlive: true });
      keepalive.opened(ws, connections.get(ws)!);
      return ws;
    };
    // The timer is set for the next round: slice 500's turn in this one is skipped to.
    const ahead = open(500);
    const passed = open(50);
    await clock.advance(INTERVAL - 100 * TICK);
    expect(ahead.pings).toEqual([INTERVAL + 501 * TICK]);
    expect(passed.pings).toEqual([]);
    for (const conn of connections.values()) conn.isAlive = true;
    await clock.advance(INTERVAL);
    stop();
    expect(ahead.pings).toEqual([INTERVAL + 501 * TICK, 2 * INTERVAL + 501 * TICK]);
    expect(passed.pings).toEqual([2 * INTERVAL + 51 * TICK]);
  });

  it('sets no timer for a slice with no connection in it', async () => {
    const clock = new ManualClock(0);
    const connections = fleet(clock, 3);
    let timers = 0;
    const counting = Object.assign(Object.create(clock) as ManualClock, {
      setTimeout: (callback: () => void, ms: number) => {
        timers++;
        return clock.setTimeout(callback, ms);
      },
    });
    const { stop } = startKeepalive(counting, connections, INTERVAL);
    for (let round = 0; round < 4; round++) {
      await clock.advance(INTERVAL);
      for (const conn of connections.values()) conn.isAlive = true;
    }
    stop();
    // Per round: three slices with a connection and the next round's start.
    expect(timers).toBeLessThanOrEqual(1 + 4 * 4);
    expect([...connections.keys()].every((ws) => ws.pings.length === 4)).toBe(true);
  });

  it('cuts off a connection that did not answer the previous ping, and only that one', async () => {
    const clock = new ManualClock(0);
    const connections = fleet(clock, 90);
    const { stop } = startKeepalive(clock, connections, INTERVAL);
    const entries = [...connections];
    const [silent] = entries[7]!;
    // Everyone else answers each ping (the server sets isAlive on a pong).
    for (let i = 0; i < 3 * 30; i++) {
      await clock.advance(INTERVAL / 30);
      for (const [ws, conn] of entries) if (ws !== silent) conn.isAlive = true;
    }
    stop();
    expect(silent.terminated).toBe(true);
    expect(silent.pings).toHaveLength(1);
    expect(entries.filter(([ws]) => ws.terminated)).toHaveLength(1);
    expect(entries.every(([ws]) => ws === silent || ws.pings.length === 3)).toBe(true);
  });

  it.each([false, true])(
    'does not ping a connection closed since its round began (told of it: %s)',
    async (told) => {
      const clock = new ManualClock(0);
      const connections = fleet(clock, 10);
      const { keepalive, stop } = startKeepalive(clock, connections, INTERVAL);
      // The second round has begun (its first slice, with no id in it, went at INTERVAL + TICK).
      await clock.advance(INTERVAL + TICK + TICK / 2);
      for (const conn of connections.values()) conn.isAlive = true;
      // id 10: due at INTERVAL + 11 ticks.
      const [closed] = [...connections.keys()].slice(-1);
      connections.delete(closed!);
      if (told) keepalive.closed(closed!, { id: 10, isAlive: true });
      expect(keepalive.waiting).toBe(told ? 9 : 10);
      await clock.advance(INTERVAL);
      stop();
      expect(closed!.pings).toEqual([11 * TICK]);
      expect([...connections.keys()].every((ws) => ws.pings.length === 2)).toBe(true);
    },
  );

  it('stops pinging when stopped', async () => {
    const clock = new ManualClock(0);
    const connections = fleet(clock, 10);
    startKeepalive(clock, connections, INTERVAL).stop();
    await clock.advance(3 * INTERVAL);
    expect([...connections.keys()].every((ws) => ws.pings.length === 0)).toBe(true);
  });
});

describe('keepalive over real sockets', () => {
  const rig = new TestRig();
  afterEach(() => rig.cleanup());

  it('closes a client that never answers pings and keeps one that does', async () => {
    // Long enough that the answering client's pong is never late, even on a loaded machine.
    const server = await rig.start({ pingIntervalMs: 600 });
    const answering = await rig.connect();
    const silent = new WebSocket(server.url, { autoPong: false });
    const silentClosed = new Promise<number>((resolve) => silent.on('close', resolve));
    await new Promise((resolve) => silent.once('open', resolve));
    // Cut at its second ping at the latest: two intervals and a tick.
    const code = await Promise.race([
      silentClosed,
      new Promise((resolve) => setTimeout(() => resolve('still open'), 4_000)),
    ]);
    expect(code).toBe(1006);
    expect(answering.closeCode).toBeNull();
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('pings a client connected mid-round within that round, not only from the next', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 29, 12));
    const interval = 1_000;
    await rig.start({ clock, pingIntervalMs: interval });
    // The round began with the server and no connection; this one is told to the keepalive.
    const client = await rig.connect();
    let pings = 0;
    client.ws.on('ping', () => (pings += 1));
    // Every slice of the first round is due by then, the last at `interval` itself, and none
    // of the next round's (its first at interval + one slice). Which slice this connection has
    // depends on its id, a counter shared by every server of the worker: at `interval - 1` the
    // last slice's connection, one run in fifty, was not pinged yet.
    await clock.advance(interval);
    for (let i = 0; i < 200 && pings === 0; i += 1) await new Promise((r) => setTimeout(r, 5));
    expect(pings).toBe(1);
  });
});
