import { describe, expect, it } from 'vitest';
import { ManualClock } from '../test-util/manual-clock';
import { CutOffWatch, hasLanAddress, lanCutOff, type LanCutOff } from './lan-cut-off';
import type { NetworkInterfaceInfo } from 'node:os';

const DEAD_MS = 25_000;

const address = (family: 'IPv4' | 'IPv6', internal: boolean) =>
  ({ family, internal, address: internal ? '127.0.0.1' : '10.0.0.2' }) as NetworkInterfaceInfo;

describe('hasLanAddress', () => {
  it('needs an IPv4 address beyond loopback (a cable out leaves only lo listed)', () => {
    expect(hasLanAddress({ lo: [address('IPv4', true)] })).toBe(false);
    expect(hasLanAddress({ lo: [address('IPv4', true)], eth0: [address('IPv6', false)] })).toBe(
      false,
    );
    expect(hasLanAddress({ lo: [address('IPv4', true)], eth0: [address('IPv4', false)] })).toBe(
      true,
    );
  });
});

describe('lanCutOff', () => {
  const now = 1_000_000;
  it('no network here: cut off, whoever is online', () => {
    expect(lanCutOff({ hasNetwork: false, othersHeardAt: null, now, deadMs: DEAD_MS })).toEqual({
      reason: 'no_network',
      heardAt: null,
    });
    expect(
      lanCutOff({ hasNetwork: false, othersHeardAt: now - 3000, now, deadMs: DEAD_MS }),
    ).toEqual({ reason: 'no_network', heardAt: now - 3000 });
  });

  it('every other online member silent past the deadline: cut off; any heard within: not', () => {
    const at = (heard: number | null) =>
      lanCutOff({ hasNetwork: true, othersHeardAt: heard, now, deadMs: DEAD_MS });
    expect(at(null)).toBeUndefined();
    expect(at(now - DEAD_MS + 1)).toBeUndefined();
    expect(at(now - DEAD_MS)).toEqual({ reason: 'silent', heardAt: now - DEAD_MS });
    // An online member with no link at all has been silent forever.
    expect(at(Number.NEGATIVE_INFINITY)).toEqual({ reason: 'silent', heardAt: null });
  });
});

describe('CutOffWatch', () => {
  function rig(onLan = true) {
    const clock = new ManualClock();
    const told: (LanCutOff | undefined)[] = [];
    let network = true;
    let heardAt: number | null = clock.now();
    const server = { onLan, othersHeardAt: (me: string | null) => (me === 'me' ? heardAt : 0) };
    const watch = new CutOffWatch({
      clock,
      deadMs: DEAD_MS,
      me: () => 'me',
      onChange: (c) => told.push(c),
      hasNetwork: () => network,
    });
    watch.watch(server);
    const set = (n: boolean, h: number | null) => ((network = n), (heardAt = h));
    return { clock, told, watch, set };
  }

  it('says the network went within a check, and that it came back', async () => {
    const { clock, told, set } = rig();
    expect(told).toEqual([]);
    const heard = clock.now();
    set(false, heard);
    await clock.advance(2000);
    expect(told).toEqual([{ reason: 'no_network', heardAt: heard }]);
    await clock.advance(10_000);
    expect(told).toHaveLength(1);
    set(true, clock.now());
    await clock.advance(2000);
    expect(told).toEqual([{ reason: 'no_network', heardAt: heard }, undefined]);
  });

  it('says the guests went silent once the deadline passed, not before', async () => {
    const { clock, told } = rig();
    const heard = clock.now();
    await clock.advance(24_000);
    expect(told).toEqual([]);
    await clock.advance(2000);
    expect(told).toEqual([{ reason: 'silent', heardAt: heard }]);
  });

  it('watches nothing on loopback, and clears what it said when the server stops', async () => {
    const loopback = rig(false);
    loopback.set(false, null);
    await loopback.clock.advance(10_000);
    expect(loopback.told).toEqual([]);
    const { clock, told, watch, set } = rig();
    set(false, null);
    await clock.advance(2000);
    watch.watch(null);
    expect(told).toEqual([{ reason: 'no_network', heardAt: null }, undefined]);
  });
});
