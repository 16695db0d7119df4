import { afterEach, describe, expect, it } from 'vitest';
import { randomToken } from '../../shared/values/ids';
import { PartyInfo } from '../../shared/model';
import { ManualClock } from '../../electron/core/test-util/manual-clock';
import { MemoryPartyStore } from '../store/test-util/memory-store';
import { TestRig, peerDict } from '../test-util/support';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const STORED = '2026-01-29T12:00:00';
const HOST_TOKEN = randomToken(32);

function storeWithParty(): MemoryPartyStore {
  const store = new MemoryPartyStore();
  const party = PartyInfo.fromDict({
    party_id: 'party_p_x',
    name: 'P',
    host_id: 'h',
    created_at: STORED,
    peers: {
      h: { ...peerDict('h'), last_seen: STORED },
      g: { ...peerDict('g'), last_seen: STORED },
    },
  });
  store.parties.set('party_p_x', party);
  store.owners.set('h', HOST_TOKEN);
  return store;
}

describe("heartbeats' last seen (soft state)", () => {
  it('after a restart every loaded peer gets a fresh grace period, so none is swept', async () => {
    // The stored last_seen is far older than the timeout, as after a long outage.
    const now = Date.parse('2026-01-29T13:00:00Z');
    const server = await rig.start({
      store: storeWithParty(),
      clock: new ManualClock(now),
      peerTimeoutMs: 300_000,
    });
    const { presence } = server.context.service;
    expect(['h', 'g'].map((id) => presence.lastSeen('party_p_x', id))).toEqual([now, now]);
    expect(server.context.service.sweep(new Date(now + 299_000), 300_000)).toBe(0);
    expect(server.context.service.sweep(new Date(now + 301_000), 300_000)).toBe(1);
  });

  it('acknowledges a heartbeat without a disk write, and persists last seen shortly after', async () => {
    const store = storeWithParty();
    await rig.start({ store, touchPersistMs: 50 });
    const host = await rig.connect();
    await host.hello(HOST_TOKEN);
    const before = store.commits;
    const ack = await host.request({ type: 'heartbeat', party_id: 'party_p_x', peer_id: 'h' });
    expect(ack).toMatchObject({ type: 'heartbeat_ack' });
    expect(store.commits).toBe(before);
    await new Promise((r) => setTimeout(r, 150));
    expect(store.commits).toBe(before + 1);
    const stored = store.parties.get('party_p_x')!.peers.get('h')!.lastSeen.toISOString();
    expect(stored).toBe(ack.server_time);
  });
});

describe('ownership pruning in the sweep', () => {
  it('forgets, on disk too, the owner of a peer that left and stayed away past the timeout', async () => {
    const store = new MemoryPartyStore();
    const server = await rig.start({ store, sweepIntervalMs: 40, peerTimeoutMs: 200 });
    const c = await rig.connect();
    await c.request({
      type: 'register_party',
      party_id: 'party_p_x',
      name: 'P',
      host_peer: peerDict('h'),
    });
    await c.request({
      type: 'register_party',
      party_id: 'party_q_x',
      name: 'Q',
      host_peer: peerDict('k'),
    });
    expect([...store.owners.keys()].sort()).toEqual(['h', 'k']);
    await c.request({ type: 'leave_party', party_id: 'party_p_x', peer_id: 'h' });
    const beat = setInterval(
      () => c.send({ type: 'heartbeat', party_id: 'party_q_x', peer_id: 'k' }),
      50,
    );
    await new Promise((r) => setTimeout(r, 400));
    clearInterval(beat);
    expect([...store.owners.keys()]).toEqual(['k']);
    expect(server.context.sessions.ownerOf('h')).toBeUndefined();
  });
});
