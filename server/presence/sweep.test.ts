import { afterEach, describe, expect, it } from 'vitest';
import { TestRig, delay, peerDict } from '../test-util/support';

const rig = new TestRig();
afterEach(() => rig.cleanup());

describe('stale sweep', () => {
  it('removes silent peers, telling the rest peer_left, then party_closed when the host times out', async () => {
    const server = await rig.start({ sweepIntervalMs: 50, peerTimeoutMs: 600 });
    const host = await rig.connect();
    const guest = await rig.connect();
    await host.request({
      type: 'register_party',
      party_id: 'party_p_x',
      name: 'P',
      host_peer: peerDict('h'),
    });
    await guest.request({ type: 'join_party', party_id: 'party_p_x', peer: peerDict('g') });
    // The host keeps beating; the guest falls silent.
    const beat = setInterval(
      () => host.send({ type: 'heartbeat', party_id: 'party_p_x', peer_id: 'h' }),
      100,
    );
    try {
      expect(await host.nextOfType('peer_left', 3000)).toMatchObject({
        party_id: 'party_p_x',
        peer_id: 'g',
      });
      expect(server.context.service.parties.get('party_p_x')!.peers.has('h')).toBe(true);
    } finally {
      clearInterval(beat);
    }
    // Now the host is silent too: the party goes; the guest rejoined and hears it close.
    await guest.request({ type: 'join_party', party_id: 'party_p_x', peer: peerDict('g') });
    const keepGuest = setInterval(
      () => guest.send({ type: 'heartbeat', party_id: 'party_p_x', peer_id: 'g' }),
      100,
    );
    try {
      expect(await guest.nextOfType('party_closed', 3000)).toMatchObject({ party_id: 'party_p_x' });
      expect(server.context.service.parties.has('party_p_x')).toBe(false);
    } finally {
      clearInterval(keepGuest);
    }
  });
});

describe('a sweep timing out members of several parties at once', () => {
  it("tells each party of its own members' removal only", async () => {
    const server = await rig.start({ sweepIntervalMs: 60_000, peerTimeoutMs: 60_000 });
    const parties = ['party_one_x', 'party_two_x', 'party_three_x'];
    const hosts = [];
    for (const [i, party_id] of parties.entries()) {
      const host = await rig.connect();
      await host.request({
        type: 'register_party',
        party_id,
        name: 'P',
        host_peer: peerDict(`h${i}`),
      });
      const guest = await rig.connect();
      await guest.request({ type: 'join_party', party_id, peer: peerDict(`g${i}`) });
      await host.nextOfType('peer_joined');
      hosts.push(host);
    }
    await delay(300);
    for (const [i, party_id] of parties.entries()) {
      await hosts[i]!.request({ type: 'heartbeat', party_id, peer_id: `h${i}` });
    }
    // One sweep, by hand: the guests fell silent 300 ms ago, the hosts just beat.
    expect(server.context.service.sweep(new Date(), 200)).toBe(3);
    for (const [i, party_id] of parties.entries()) {
      expect(await hosts[i]!.nextOfType('peer_left')).toMatchObject({ party_id, peer_id: `g${i}` });
    }
    await delay(100);
    for (const [i, party_id] of parties.entries()) {
      const told = hosts[i]!.received.filter((f) => f.type === 'peer_left');
      expect(told, party_id).toEqual([]);
      expect([...server.context.service.parties.get(party_id)!.peers.keys()]).toEqual([`h${i}`]);
    }
  });
});
