/**
 * Protocols 1.3 and 1.10 on a real server and socket: a member's profile change reaches a
 * connection that declared 1.3 as a `peer_updated` event, the host's settings change one
 * that declared 1.10 as `settings_changed`, and older connections (the seed's 1.0 client)
 * as the `party_update` snapshot they always got, under the same event number.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  PEER_EVENTS_SINCE,
  PROTOCOL_VERSION,
  SETTINGS_EVENTS_SINCE,
  protocolLevel,
} from '../../shared/protocol/protocol';
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

  it('sends a settings change to 1.10 connections as settings_changed, older ones the snapshot', async () => {
    const { old, fresh, m } = await party();
    const now = await client(PROTOCOL_VERSION);
    await now.request({ type: 'join_party', party_id: 'party_u1', peer: peerDict('n') });
    expect(await fresh.nextOfType('peer_joined')).toMatchObject({ seq: 4 });
    const settings = { type: 'update_party', party_id: 'party_u1', settings: { locked: true } };
    expect(await old.request(settings)).toMatchObject({ type: 'party_update', seq: 5 });

    const event = await now.nextOfType('settings_changed');
    expect(event).toMatchObject({ party_id: 'party_u1', seq: 5, settings: { locked: true } });
    // A 1.3 connection knows peer_updated but not this event: it gets the snapshot.
    expect(await fresh.nextOfType('party_update')).toMatchObject({ seq: 5 });
    await noneOf(fresh, 'settings_changed');
    expect(await m.nextOfType('party_update')).toMatchObject({ seq: 5 });

    // The next event follows in order: no snapshot came to the 1.10 member in between.
    await fresh.request({ type: 'leave_party', party_id: 'party_u1', peer_id: 'f' });
    expect(await now.nextOfType('peer_left')).toMatchObject({ seq: 6 });
    await noneOf(now, 'party_update');
  });
});

describe('protocolLevel', () => {
  it('orders versions numerically; missing or malformed ones are older than any', () => {
    const levels = ['1.0', '1.2', '1.3', '1.9', '1.10', '2.0'].map(protocolLevel);
    expect([...levels].sort((a, b) => a - b)).toEqual(levels);
    expect(protocolLevel('1.3')).toBe(PEER_EVENTS_SINCE);
    expect(protocolLevel('1.10')).toBe(SETTINGS_EVENTS_SINCE);
    for (const v of [undefined, '', '1.3.1', 'x.y', '1']) expect(protocolLevel(v)).toBe(0);
  });
});
