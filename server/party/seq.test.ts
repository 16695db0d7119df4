/**
 * Per-party event numbers on a real server and socket: every event fanned out carries the
 * party's next number, snapshots the one they reflect, an actor's answer the number of the
 * event it was left out of; numbering survives a restart of the SQLite store.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendCases } from '../state/test-util/backend-cases';
import { silentLogger } from '../../shared/logger';
import { makeTempDir } from '../../electron/core/test-util/temp-dir';
import { TestRig, guestJoins, hostParty, peerDict, type RawClient } from '../test-util/support';

const rig = new TestRig();
const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());
let cleanupDir: (() => void) | null = null;
afterEach(async () => {
  await rig.cleanup();
  cleanupDir?.();
  cleanupDir = null;
});

async function joiner(partyId: string, peerId: string): Promise<RawClient> {
  const c = await rig.connect();
  await c.hello();
  const answer = await c.request({ type: 'join_party', party_id: partyId, peer: peerDict(peerId) });
  expect(answer.type).toBe('party_update');
  return c;
}

describe.each(backends.cases)('per-party event numbers (%s backend)', (_name, backendOptions) => {
  it('number every event of a party in order, snapshots and actors included', async () => {
    await rig.start(await backendOptions(randomUUID()));
    const host = await rig.connect();
    await host.hello();
    // Creating the party is its first change (nobody else to tell).
    const created = await host.request({
      type: 'register_party',
      party_id: 'party_p1',
      name: 'P',
      host_peer: peerDict('h'),
    });
    expect(created).toMatchObject({ type: 'party_update', seq: 1 });
    const { guest: b, answer: joined } = await guestJoins(rig, 'party_p1', 'b');
    expect(joined).toMatchObject({ type: 'party_update', seq: 2 });
    expect(await host.nextOfType('peer_joined')).toMatchObject({ peer: { peer_id: 'b' }, seq: 2 });

    const c = await joiner('party_p1', 'c');
    expect(await host.nextOfType('peer_joined')).toMatchObject({ seq: 3 });
    expect(await b.nextOfType('peer_joined')).toMatchObject({ seq: 3 });

    // b's own update: the others get the snapshot numbered 4, b an ack saying 4.
    const ack = await b.request({
      type: 'update_peer',
      party_id: 'party_p1',
      peer: peerDict('b', { public_port: 40000 }),
    });
    expect(ack).toMatchObject({ type: 'ack', seq: 4 });
    expect(await host.nextOfType('party_update')).toMatchObject({ seq: 4 });
    expect(await c.nextOfType('party_update')).toMatchObject({ seq: 4 });

    await b.request({ type: 'leave_party', party_id: 'party_p1', peer_id: 'b' });
    expect(await c.nextOfType('peer_left')).toMatchObject({ peer_id: 'b', seq: 5 });
    // A snapshot says which event it reflects.
    expect(await c.request({ type: 'get_party', party_id: 'party_p1' })).toMatchObject({ seq: 5 });

    // Another party numbers its own events.
    const other = await rig.connect();
    expect(await hostParty(other, 'party_p2', 'o')).toBeTruthy();
    await joiner('party_p2', 'x');
    expect(await other.nextOfType('peer_joined')).toMatchObject({ seq: 2 });
  });

  it('a heartbeat that changes presence is numbered, and its ack carries the number', async () => {
    await rig.start(await backendOptions(randomUUID()));
    const host = await rig.connect();
    await hostParty(host, 'party_p1', 'h');
    const b = await joiner('party_p1', 'b');
    await host.nextOfType('peer_joined');
    const beat = (rtt: number) =>
      b.request({ type: 'heartbeat', party_id: 'party_p1', peer_id: 'b', rtt_ms: rtt });
    expect(await beat(40)).toMatchObject({ type: 'heartbeat_ack', seq: 3 });
    expect(await host.nextOfType('peer_status')).toMatchObject({ peer_id: 'b', seq: 3 });
    // A steady beat changes nothing: no number.
    const steady = await beat(40);
    expect(steady.type).toBe('heartbeat_ack');
    expect(steady.seq).toBeUndefined();
    // The host's own status change (first rtt): b is told with the party's next number.
    await host.request({ type: 'heartbeat', party_id: 'party_p1', peer_id: 'h', rtt_ms: 10 });
    expect(await b.nextOfType('peer_status')).toMatchObject({ peer_id: 'h', seq: 4 });
  });

  it('numbering carries on after a restart', async () => {
    const shared = randomUUID();
    await rig.start(await backendOptions(shared));
    const host = await rig.connect();
    const token = await hostParty(host, 'party_p1', 'h');
    await joiner('party_p1', 'b');
    const before = rig.server!.context.service;
    await rig.cleanup();
    const last = before.seqOf('party_p1');
    await rig.start(await backendOptions(shared));
    const back = await rig.connect();
    await back.hello(token);
    const snapshot = await back.request({ type: 'get_party', party_id: 'party_p1' });
    expect(snapshot).toMatchObject({ seq: last });
    await joiner('party_p1', 'd');
    expect(await back.nextOfType('peer_joined')).toMatchObject({ seq: last + 1 });
  });
});

describe('per-party event numbers in SQLite', () => {
  it('numbering carries on after a restart of the SQLite store', async () => {
    const { dir, cleanup } = makeTempDir('lanrage-seq-');
    cleanupDir = cleanup;
    await rig.start({ store: undefined, dataDir: dir, logger: silentLogger });
    const host = await rig.connect();
    const token = await hostParty(host, 'party_p1', 'h');
    await joiner('party_p1', 'b');
    await joiner('party_p1', 'c');
    const before = rig.server!.context.service;
    // Closing the clients makes events too (each goes offline): all numbered and stored.
    await rig.cleanup();
    const last = before.seqOf('party_p1');
    expect(last).toBeGreaterThanOrEqual(2);

    await rig.start({ store: undefined, dataDir: dir, logger: silentLogger });
    const back = await rig.connect();
    await back.hello(token);
    expect(await back.request({ type: 'get_party', party_id: 'party_p1' })).toMatchObject({
      seq: last,
    });
    await joiner('party_p1', 'd');
    const joined = await back.nextOfType('peer_joined');
    expect(joined).toMatchObject({ peer: { peer_id: 'd' }, seq: last + 1 });
  });
});
