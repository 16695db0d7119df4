/**
 * A server whose machine slept (a laptop hosting its party with the lid closed): on waking,
 * nobody is removed or shown offline for the time it did not run, against a real server on
 * a real socket with a manual clock (heartbeat 1 s, peer timeout 10 s, sweep every 1 s).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../electron/core/test-util/manual-clock';
import { TestRig, delay, peerDict, type RawClient } from '../test-util/support';
import { StallWatch } from '../../shared/time/stall-watch';

const rig = new TestRig();
afterEach(() => rig.cleanup());
const P = 'party_sleep';

async function partyOfTwo(clock: ManualClock): Promise<{ h: RawClient; g: RawClient }> {
  await rig.start({ clock, heartbeatIntervalS: 1, peerTimeoutMs: 10_000, sweepIntervalMs: 1000 });
  const h = await rig.connect();
  await h.hello();
  await h.request({ type: 'register_party', party_id: P, name: 'P', host_peer: peerDict('h') });
  const g = await rig.connect();
  await g.hello();
  await g.request({ type: 'join_party', party_id: P, peer: peerDict('g') });
  return { h, g };
}

const beat = (c: RawClient, peerId: string) =>
  c.request({ type: 'heartbeat', party_id: P, peer_id: peerId });

async function membersAfter(c: RawClient): Promise<string[]> {
  const answer = await c.request({ type: 'get_party', party_id: P });
  return Object.keys((answer.party as { peers: object }).peers).sort();
}

describe('a server that slept', () => {
  it('removes nobody and shows nobody offline for the minute it did not run', async () => {
    const clock = new ManualClock();
    const { h, g } = await partyOfTwo(clock);
    await clock.advance(900);
    await Promise.all([beat(h, 'h'), beat(g, 'g')]);
    clock.suspend(60_000);
    // Awake: the timers run before the members' next beats reach it.
    await clock.advance(1500);
    await Promise.all([beat(h, 'h'), beat(g, 'g')]);
    await delay(50);
    expect(await membersAfter(h)).toEqual(['g', 'h']);
    const told = [...h.received, ...g.received].filter(
      (f) => f.type === 'peer_left' || (f.type === 'peer_status' && f.status === 'offline'),
    );
    expect(told).toEqual([]);
  });

  it('still removes a member silent for the timeout while it ran', async () => {
    const clock = new ManualClock();
    const { h } = await partyOfTwo(clock);
    clock.suspend(60_000);
    for (let i = 0; i < 12; i++) {
      await clock.advance(1000);
      await beat(h, 'h');
    }
    expect(await membersAfter(h)).toEqual(['h']);
  });
});

it('a clock set back a minute: a member whose app died goes offline in two intervals', async () => {
  const clock = new ManualClock();
  const { h, g } = await partyOfTwo(clock);
  await clock.advance(900);
  await Promise.all([beat(h, 'h'), beat(g, 'g')]);
  clock.step(-60_000);
  // The host beats on the new clock before the server's next check: it stays online.
  await beat(h, 'h');
  for (let i = 0; i < 4; i++) {
    await clock.advance(1000);
    await beat(h, 'h');
  }
  await delay(50);
  const offline = h.received.filter((f) => f.type === 'peer_status' && f.status === 'offline');
  expect(offline.map((f) => f.peer_id)).toEqual(['g']);
});

describe('StallWatch', () => {
  it('tells a stall beyond one period (5 s at least) and nothing for a late timer', () => {
    const watch = new StallWatch(1000, 0);
    expect(watch.check(1000)).toBe(0);
    expect(watch.check(5000)).toBe(0);
    expect(watch.check(66_000)).toBe(60_000);
    expect(watch.check(67_000)).toBe(0);
    expect(watch.check(64_000)).toBe(0);
    expect(watch.check(4_000)).toBe(-60_000);
  });
});
