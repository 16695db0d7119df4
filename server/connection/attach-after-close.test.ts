/**
 * A join whose password is still being checked when its connection closes: the join goes
 * through once the check ends, but the peer must not be routed to the closed connection.
 * The close had already detached every route to it, so that route was never removed and
 * kept the connection, its socket and its buffers for the life of the server (bench:soak
 * found one per such join).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TestRig, peerDict, type RawClient } from '../test-util/support';
import { eventually } from '../../shared/test-support/eventually';
import type * as passwords from '../access/passwords';

/** The password checks waiting to be answered (resolve(true): right). */
const checks = vi.hoisted(() => ({ waiting: [] as Array<(right: boolean) => void> }));
vi.mock('../access/passwords', async (original) => {
  const real = await original<typeof passwords>();
  return {
    ...real,
    checkPassword: () => new Promise<boolean>((resolve) => checks.waiting.push(resolve)),
  };
});

const rig = new TestRig();
afterEach(() => rig.cleanup());

const join = (c: RawClient, partyId: string, peerId: string, password?: string) =>
  c.request({ type: 'join_party', party_id: partyId, peer: peerDict(peerId), password });

describe('a join answered after its connection closed', () => {
  it('adds the peer but routes nothing to the closed connection', async () => {
    const server = await rig.start();
    const host = await rig.connect();
    await host.hello();
    for (const [partyId, settings] of [
      ['party_open', {}],
      ['party_pw', { join_policy: 'password', password: 'secret' }],
    ] as const) {
      const party_id = partyId;
      const host_peer = peerDict(`host_${partyId}`);
      await host.request({ type: 'register_party', party_id, name: 'P', host_peer, settings });
    }
    const guest = await rig.connect();
    await guest.hello();
    // A peer routed to the guest's connection: its route goes when the server sees the close.
    expect((await join(guest, 'party_open', 'other')).type).toBe('party_update');
    guest.send({ type: 'join_party', party_id: 'party_pw', peer: peerDict('g'), password: 'x' });
    await eventually(() => checks.waiting.length === 1, 5000, 'the password check started');
    await guest.close();
    const { presence, service } = server.context;
    await eventually(() => !presence.isConnected('other'), 5000, 'the closed connection gone');

    checks.waiting[0]!(true);
    await eventually(() => service.parties.get('party_pw')?.peers.has('g') === true, 5000, 'g in');
    expect(presence.isConnected('g')).toBe(false);
    expect(presence.routeOf('g')).toBeUndefined();
  });
});
