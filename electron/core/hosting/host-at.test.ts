/**
 * host-at.ts on its own (the whole join over a real TLS server: local/lan-at.test.ts): what is
 * dialled for an address a link names, which answer is taken, and what a later run restores.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../test-util/manual-clock';
import { silentLogger } from '../../../shared/logger';
import { AtWatch, EVERY_MS } from './at-watch';
import type { PinAnswer } from '../client/link/pin-probe';
import type { DiscoveredHost } from './discovery-board';
import { AtProbes, AtSource, hostAt, lookForAt, NotReachedAt } from './host-at';

const PIN = 'A'.repeat(43);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Probes answered by hand: `answer(i, …)` for the i-th address. */
function manualProbes(addresses: string[]) {
  const pending = new Map<string, (answer: PinAnswer) => void>();
  const hosts = addresses.map((address) => hostAt('party_x', address, PIN));
  const probes = new AtProbes(
    hosts,
    (url) => new Promise<PinAnswer>((resolve) => pending.set(url, resolve)),
  );
  const answer = async (i: number, said: PinAnswer) => {
    await settle();
    pending.get(hosts[i]!.controlUrl)!(said);
    await settle();
  };
  return { hosts, probes, answer };
}

describe('a host at an address its invite link names', () => {
  it('is dialled over TLS only, checked against the link’s pin, never listed', () => {
    const host = hostAt('party_x', '10.0.0.5:8669', PIN);
    expect(host.controlUrl).toBe(`wss://10.0.0.5:8669/ws?pin=${PIN}`);
    expect(host.party.hostId).toBe('');
    // Its session is kept under a key of its own: another address or pin is another key.
    expect(host.hostInstance).toMatch(/^[0-9a-f]{16}$/);
    expect(hostAt('party_x', '10.0.0.5:8669', PIN).hostInstance).toBe(host.hostInstance);
    expect(hostAt('party_x', '10.0.0.6:8669', PIN).hostInstance).not.toBe(host.hostInstance);
  });

  it('is taken only showing the pin, in the link’s order, without waiting for the others', async () => {
    const { hosts, probes, answer } = manualProbes([
      '10.0.0.5:8669',
      '10.0.0.6:8669',
      '10.0.0.7:1',
    ]);
    let decided = false;
    void probes.decided().then(() => (decided = true));
    await answer(0, 'other');
    expect([probes.shown, decided]).toEqual([[], false]);
    await answer(2, 'shown');
    expect([probes.shown, decided]).toEqual([[hosts[2]], true]);
    await answer(1, 'shown');
    expect(probes.shown).toEqual([hosts[1], hosts[2]]);
  });

  it('none showing it: decided once every address answered, each named with its answer', async () => {
    const { probes, answer } = manualProbes(['10.0.0.5:8669', '10.0.0.6:8669']);
    let decided = false;
    void probes.decided().then(() => (decided = true));
    await answer(0, 'silent');
    expect(decided).toBe(false);
    await answer(1, 'other');
    expect(decided).toBe(true);
    const failure = probes.failure('party_x');
    expect(failure).toBeInstanceOf(NotReachedAt);
    expect(failure).toMatchObject({ code: 'not_found', field: 'invite' });
    expect(failure.message).toContain(
      "reachable at 10.0.0.5:8669 (no answer), 10.0.0.6:8669 (another certificate than the host's your link names).",
    );
  });

  it('a probe that throws counts as no answer, never as the host', async () => {
    const hosts = [hostAt('party_x', '10.0.0.5:8669', PIN)];
    const probes = new AtProbes(hosts, () => {
      throw new Error('cannot dial');
    });
    await probes.decided();
    expect(probes.shown).toEqual([]);
    expect(probes.failure('party_x').message).toContain('10.0.0.5:8669 (no answer)');
  });
});

/** A LAN that hears `heard` (none: nothing), for lookForAt. */
function lan(heard: DiscoveredHost[]) {
  return {
    clock: new ManualClock(),
    ask: () => true,
    locate: () => Promise.resolve(heard),
    watch: () => () => undefined,
  };
}

describe('lookForAt', () => {
  it('heard on the LAN too, takes the announced host over one the link names', async () => {
    const announced = hostAt('party_x', '192.168.1.9:8669', PIN);
    const { hosts, probes, answer } = manualProbes(['10.0.0.5:8669']);
    const taken: DiscoveredHost[][] = [];
    const found = lookForAt(lan([announced]), probes, 'party_x', (shown) => {
      taken.push(shown);
      return shown;
    });
    await answer(0, 'shown');
    expect(await found).toEqual([announced]);
    expect(taken).toEqual([]);
    expect(probes.shown).toEqual(hosts);
  });

  it('not heard, takes the first to show the pin as soon as it does', async () => {
    const { hosts, probes, answer } = manualProbes(['10.0.0.5:8669']);
    const found = lookForAt(lan([]), probes, 'party_x', (shown) => shown);
    await answer(0, 'shown');
    expect(await found).toEqual(hosts);
  });
});

describe('AtSource', () => {
  it('tells the state file of each host kept or dropped, not of one it never kept', () => {
    let changes = 0;
    const source = new AtSource(() => changes++);
    source.keep('party_x', hostAt('party_x', '10.0.0.5:8669', PIN));
    expect(changes).toBe(1);
    expect(source.kept).toEqual(new Map([['party_x', ['10.0.0.5:8669']]]));
    source.drop('party_y');
    expect(changes).toBe(1);
    source.drop('party_x');
    expect([changes, source.kept]).toEqual([2, new Map()]);
  });

  it('restores only the parties still pinned (those we are in), at the address and port kept', () => {
    const source = new AtSource();
    const at = new Map([
      ['party_x', ['10.0.0.5:8669']],
      ['party_gone', ['10.0.0.6:8669']],
      ['party_empty', []],
      ['party_left', ['10.0.0.7:8669']],
    ]);
    const pins = new Map([
      ['party_x', PIN],
      ['party_empty', PIN],
      ['party_left', PIN],
    ]);
    source.restore(at, pins, new Set(['party_x', 'party_gone', 'party_empty']));
    expect([...source.hosts().keys()]).toEqual(['party_x']);
    expect(source.hosts().get('party_x')?.controlUrl).toBe(`wss://10.0.0.5:8669/ws?pin=${PIN}`);
  });
});

describe('AtSource with the watch on parties left', () => {
  const summary = {
    party_id: 'party_x',
    name: 'Friday Frag',
    host_name: 'Bob',
    peer_count: 8,
    max_peers: 8,
    join_policy: 'open',
    visibility: 'public',
    locked: false,
  };

  // Joined from its row, refused (full, a wrong password): the row stays, to be tried again.
  it('gives a party back to the watch when a join taken from its listing fails', async () => {
    const clock = new ManualClock();
    const watch = new AtWatch(clock, silentLogger, { ask: () => Promise.resolve({ summary }) });
    const source = new AtSource(() => undefined, watch);
    const host = hostAt('party_x', '10.0.0.5:8669', PIN);
    source.keep('party_x', host);
    source.drop('party_x');
    await clock.advance(EVERY_MS);
    expect([...watch.hosts().keys()]).toEqual(['party_x']);
    source.taken('party_x', host.controlUrl);
    expect([...source.hosts().keys(), ...watch.hosts().keys()]).toEqual(['party_x']);
    source.drop('party_x', false);
    await clock.advance(EVERY_MS);
    expect([...source.hosts().keys()]).toEqual([]);
    expect([...watch.hosts().keys()]).toEqual(['party_x']);
    watch.close();
  });

  it('never watches a party whose first join at a link’s address failed', async () => {
    const clock = new ManualClock();
    const watch = new AtWatch(clock, silentLogger, { ask: () => Promise.resolve({ summary }) });
    const source = new AtSource(() => undefined, watch);
    source.keep('party_x', hostAt('party_x', '10.0.0.5:8669', PIN));
    source.drop('party_x', false);
    await clock.advance(EVERY_MS);
    expect(watch.hosts().size).toBe(0);
    watch.close();
  });

  // Joined again where mDNS heard it: the watch would dial its host every 7 s for as long as
  // the party lasts (each answer renews its 30 minutes), all the while we are in it.
  it('stops looking for a party joined again at another place; gives it back if that fails', async () => {
    const clock = new ManualClock();
    let asked = 0;
    const ask = () => Promise.resolve({ summary: { ...summary, peer_count: ++asked } });
    const watch = new AtWatch(clock, silentLogger, { ask });
    const source = new AtSource(() => undefined, watch);
    source.keep('party_x', hostAt('party_x', '10.0.0.5:8669', PIN));
    source.drop('party_x');
    await clock.advance(EVERY_MS);
    source.taken('party_x', `wss://10.0.0.9:8669/ws?pin=${PIN}`);
    expect(watch.hosts().size).toBe(0);
    const looks = asked;
    await clock.advance(EVERY_MS * 3);
    expect(asked).toBe(looks);
    source.drop('party_x', false);
    await clock.advance(EVERY_MS);
    expect([...watch.hosts().keys()]).toEqual(['party_x']);
    watch.close();
  });
});
