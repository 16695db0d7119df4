/**
 * Protocol 1.3 on a real server and socket: a member's profile change reaches a connection
 * that declared 1.3 as a `peer_updated` event, and a 1.0 connection (the seed's client) as
 * the `party_update` snapshot it always got, both under the same event number.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { understandsPeerEvents } from '../../shared/protocol';
import { TestRig, peerDict, type RawClient } from '../test-util/support';

const rig = new TestRig();
afterEach(() => rig.cleanup());

async function client(version: string): Promise<RawClient> {
  const c = await rig.connect();
  expect(await c.request({ type: 'hello', version, client: 'test' })).toMatchObject({
    type: 'welcome',
  });
  return c;
}

/** A party of an old host, a 1.3 member and an old member `m`; returns them. */
async function party(): Promise<{ old: RawClient; fresh: RawClient; m: RawClient }> {
  await rig.start();
  const old = await client('1.0');
  const host = { type: 'register_party', party_id: 'party_u1', name: 'P' };
  expect(await old.request({ ...host, host_peer: peerDict('h') })).toMatchObject({ seq: 1 });
  const fresh = await client('1.3');
  await fresh.request({ type: 'join_party', party_id: 'party_u1', peer: peerDict('f') });
  const m = await client('1.2');
  await m.request({ type: 'join_party', party_id: 'party_u1', peer: peerDict('m') });
  expect(await fresh.nextOfType('peer_joined')).toMatchObject({ seq: 3 });
  return { old, fresh, m };
}

/** No frame of `type` arrived before the last one read (frames keep their order). */
async function noneOf(c: RawClient, type: string): Promise<void> {
  await expect(c.nextOfType(type, 150)).rejects.toThrow(/timed out/);
}

describe('peer_updated (protocol 1.3)', () => {
  it('goes to 1.3 connections and the snapshot to older ones, with one seq', async () => {
    const { old, fresh, m } = await party();
    const peer = peerDict('m', { name: 'Renamed' });
    const ack = await m.request({ type: 'update_peer', party_id: 'party_u1', peer });
    expect(ack).toMatchObject({ type: 'ack', seq: 4 });

    const event = await fresh.nextOfType('peer_updated');
    expect(event).toMatchObject({ party_id: 'party_u1', seq: 4, peer: { peer_id: 'm' } });
    expect((event.peer as { name: string }).name).toBe('Renamed');
    const snapshot = await old.nextOfType('party_update');
    expect(snapshot).toMatchObject({ seq: 4 });
    await noneOf(old, 'peer_updated');

    // The next event follows in order: no snapshot came to the 1.3 member in between.
    await m.request({ type: 'leave_party', party_id: 'party_u1', peer_id: 'm' });
    expect(await fresh.nextOfType('peer_left')).toMatchObject({ seq: 5 });
    await noneOf(fresh, 'party_update');
  });

  it('keeps a settings change a snapshot for every version', async () => {
    const { old, fresh } = await party();
    const settings = { type: 'update_party', party_id: 'party_u1', settings: { locked: true } };
    expect(await old.request(settings)).toMatchObject({ type: 'party_update', seq: 4 });
    expect(await fresh.nextOfType('party_update')).toMatchObject({ seq: 4 });
    await noneOf(fresh, 'peer_updated');
  });
});

describe('understandsPeerEvents', () => {
  it('is true from 1.3 on and false for older, missing or malformed versions', () => {
    for (const v of ['1.3', '1.10', '2.0']) expect(understandsPeerEvents(v)).toBe(true);
    for (const v of ['1.0', '1.2', undefined, '', '1.3.1', 'x.y']) {
      expect(understandsPeerEvents(v)).toBe(false);
    }
  });
});
