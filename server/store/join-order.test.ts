/**
 * Join order survives a restart: "the online member who has been in the party longest"
 * becomes host on hand-over, so after a restart that order must be the join order, not the
 * database's row order or a dict's key order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PeerInfo } from '../../shared/model';
import { createParty, joinParty, updatePeer } from '../../shared/party/transitions';
import { silentLogger } from '../../shared/logger';
import { NO_QUOTAS } from '../admission/quotas';
import { SqlitePartyStore } from './sqlite-store';
import { TestRig, peerDict } from '../test-util/support';

const T0 = new Date('2026-01-29T12:00:00Z');
const peer = (id: string, name = `Peer ${id}`): PeerInfo =>
  PeerInfo.fromDict(peerDict(id, { name }));
/** Joined in this order; alphabetical and integer-like ids would sort differently. */
const JOIN_ORDER = ['host', 'zed', '42', 'amy', '7'];

const rig = new TestRig();
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-order-'));
});
afterEach(async () => {
  await rig.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('join order across a restart', () => {
  it('the store loads members in join order, an updated member keeping its place', () => {
    const store = new SqlitePartyStore(dir, silentLogger);
    let party = createParty('p', 'P', peer('host'), T0).party!;
    let base = null;
    for (const id of JOIN_ORDER.slice(1)) {
      const next = joinParty(party, peer(id), T0).party!;
      store.commit({ parties: [{ partyId: 'p', base, next }], owners: [] });
      [base, party] = [next, next];
    }
    const renamed = updatePeer(party, peer('zed', 'Zed renamed'), T0).party!;
    store.commit({ parties: [{ partyId: 'p', base, next: renamed }], owners: [] });
    store.close();

    const loaded = new SqlitePartyStore(dir, silentLogger);
    const reloaded = loaded.load().parties.get('p')!;
    loaded.close();
    expect([...reloaded.peers.keys()]).toEqual(JOIN_ORDER);
    expect(reloaded.peers.get('zed')!.name).toBe('Zed renamed');
  });

  it('after a restart the host leaving hands over to the longest-present member', async () => {
    const first = await rig.start({ dataDir: dir, store: undefined, quotas: NO_QUOTAS });
    const host = await rig.connect();
    const hostToken = await host.hello();
    await host.request({
      type: 'register_party',
      party_id: 'party_order',
      name: 'P',
      host_peer: peerDict('host'),
      settings: { host_migration: true },
    });
    const members = [];
    for (const id of JOIN_ORDER.slice(1)) {
      const c = await rig.connect();
      await c.hello();
      expect(
        await c.request({ type: 'join_party', party_id: 'party_order', peer: peerDict(id) }),
      ).toMatchObject({ type: 'party_update' });
      members.push(c);
    }
    // The longest-present member renames itself: it must keep its place.
    const rename = {
      type: 'update_peer',
      party_id: 'party_order',
      peer: peerDict('zed', { name: 'Zed 2' }),
    };
    expect(await members[0]!.request(rename)).toMatchObject({ type: 'ack' });
    await rig.cleanup();
    void first;

    await rig.start({ dataDir: dir, store: undefined, quotas: NO_QUOTAS });
    const back = await rig.connect();
    await back.hello(hostToken);
    const watcher = await rig.connect();
    await watcher.hello();
    expect(
      await back.request({ type: 'leave_party', party_id: 'party_order', peer_id: 'host' }),
    ).toMatchObject({ type: 'ack' });
    const party = rig.server!.context.service.parties.get('party_order')!;
    expect(party.hostId).toBe('zed');
    expect([...party.peers.keys()]).toEqual(JOIN_ORDER.slice(1));
  });
});
