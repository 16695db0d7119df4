import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ManualClock } from '../../electron/core/test-util/manual-clock';
import { TestRig } from '../test-support';
import { PING_SLICES, startKeepalive, type KeptAlive, type Pingable } from './keepalive';

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

describe('keepalive', () => {
  const INTERVAL = 30_000;

  it('pings every connection once per interval, spread over the interval', async () => {
    const clock = new ManualClock(0);
    const connections = fleet(clock, 3000);
    const stop = startKeepalive(clock, connections, INTERVAL);
    await clock.advance(INTERVAL);
    stop();
    const times = [...connections.keys()].map((ws) => ws.pings);
    expect(times.every((t) => t.length === 1)).toBe(true);
    const perTick = new Map<number, number>();
    for (const [t] of times) perTick.set(t!, (perTick.get(t!) ?? 0) + 1);
    expect(perTick.size).toBe(PING_SLICES);
    expect(Math.max(...perTick.values())).toBe(3000 / PING_SLICES);
  });

  it('cuts off a connection that did not answer the previous ping, and only that one', async () => {
    const clock = new ManualClock(0);
    const connections = fleet(clock, 90);
    const stop = startKeepalive(clock, connections, INTERVAL);
    const entries = [...connections];
    const [silent] = entries[7]!;
    // Everyone else answers each ping (the server sets isAlive on a pong).
    for (let i = 0; i < 3 * PING_SLICES; i++) {
      await clock.advance(INTERVAL / PING_SLICES);
      for (const [ws, conn] of entries) if (ws !== silent) conn.isAlive = true;
    }
    stop();
    expect(silent.terminated).toBe(true);
    expect(silent.pings).toHaveLength(1);
    expect(entries.filter(([ws]) => ws.terminated)).toHaveLength(1);
    expect(entries.every(([ws]) => ws === silent || ws.pings.length === 3)).toBe(true);
  });

  it('stops pinging when stopped', async () => {
    const clock = new ManualClock(0);
    const connections = fleet(clock, 10);
    startKeepalive(clock, connections, INTERVAL)();
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
});
