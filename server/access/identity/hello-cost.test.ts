/**
 * A keyed hello takes back the key's peer ids that are members, found per peer id: it used to
 * build a Set of every member of every party on each hello, so a few connections repeating
 * keyed hellos held a 20 000-member server's event loop (a member's heartbeat took 258 ms).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PartyService } from '../../party/party-service';
import { BackendCases, type BackendOptions } from '../../state/test-util/backend-cases';
import { peerDict, TestRig, type RawClient } from '../../test-util/support';
import { TestIdentity } from '../test-util/identity';

const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());
let backend: BackendOptions = () => Promise.resolve({});

const rig = new TestRig();
afterEach(() => {
  vi.restoreAllMocks();
  return rig.cleanup();
});

const register = (c: RawClient, party_id: string, peerId: string) =>
  c.request({ type: 'register_party', party_id, name: 'P', host_peer: peerDict(peerId) });

/**
 * The key hosts party_key_one as k1; it joined party_key_two as k2 and left (k2 stays bound
 * to the key); bystanders host a few more parties.
 */
async function keyWithOneMembership(key: TestIdentity): Promise<PartyService> {
  // Timers that walk the parties (presence check, sweep) stay out of the counted window.
  const quiet = { heartbeatIntervalS: 3600, sweepIntervalMs: 3_600_000 };
  const server = await rig.start({ ...(await backend(randomUUID())), ...quiet });
  const c = await rig.connect();
  await key.hello(c);
  expect(await register(c, 'party_key_one', 'k1')).toMatchObject({ type: 'party_update' });
  for (let i = 0; i < 4; i++) {
    const other = await rig.connect();
    await other.hello();
    expect(await register(other, `party_other_${i}`, `o${i}`)).toMatchObject({
      type: 'party_update',
    });
  }
  const join = { type: 'join_party', party_id: 'party_other_0', peer: peerDict('k2') };
  expect(await c.request(join)).toMatchObject({ type: 'party_update' });
  const leave = { type: 'leave_party', party_id: 'party_other_0', peer_id: 'k2' };
  expect(await c.request(leave)).toMatchObject({ type: 'ack' });
  return server.context.service;
}

/** Counts every way of walking all the parties (memberIds walked them on each hello). */
function countScans(service: PartyService): () => number {
  const { parties } = service;
  const spies = [
    vi.spyOn(service, 'memberIds'),
    vi.spyOn(parties, 'values'),
    vi.spyOn(parties, 'keys'),
    vi.spyOn(parties, 'entries'),
    vi.spyOn(parties, 'forEach'),
    vi.spyOn(parties, Symbol.iterator),
  ];
  return () => spies.reduce((n, spy) => n + spy.mock.calls.length, 0);
}

describe.each(backends.cases)('%s backend', (_name, options) => {
  beforeEach(() => {
    backend = options;
  });

  it("a keyed hello takes back the key's ids that are members, and only those", async () => {
    const key = new TestIdentity();
    const service = await keyWithOneMembership(key);
    const resumed = vi.spyOn(service, 'resumed');
    const again = await rig.connect();
    expect(await key.hello(again)).toMatchObject({ type: 'welcome' });
    expect(resumed.mock.calls.map(([ids]) => [...ids])).toEqual([['k1']]);
    const beat = { type: 'heartbeat', party_id: 'party_key_one', peer_id: 'k1' };
    expect(await again.request(beat)).toMatchObject({ type: 'heartbeat_ack' });
  });

  it('a keyed hello does not walk every party on the server', async () => {
    const key = new TestIdentity();
    const service = await keyWithOneMembership(key);
    const scans = countScans(service);
    for (let i = 0; i < 3; i++) {
      const again = await rig.connect();
      expect(await key.hello(again)).toMatchObject({ type: 'welcome' });
    }
    expect(scans()).toBe(0);
  });
});
