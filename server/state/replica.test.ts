/**
 * Following another server's changes: a valid change is applied to this server's copy and
 * its frames reach this server's own connections; this server's own change and anything
 * malformed (Redis is infrastructure, not trusted to be right) change nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createParty } from '../../shared/party/transitions';
import { PeerInfo } from '../../shared/model';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { TestRig, delay, hostParty, peerDict } from '../test-util/support';
import { changeMessage } from '../test-util/change-message';
import { AccessKind, type AccessRow } from '../access/records';
import { StoreConflict } from '../store/store';
import type { SharedStore } from './backend';
import { reloadConflict } from './replica';
import { receive } from './replica-follow';
import {
  ChangeMessageSchema,
  changeParts,
  isOwnChange,
  ownChangeTest,
  partyWrites,
  storedParty,
} from './replication';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const change = changeMessage;

describe('receive', () => {
  it('applies another server’s change and sends its frames to local members', async () => {
    const server = await rig.start();
    const host = await rig.connect();
    await hostParty(host, 'party_local', 'h');
    const logger = new MemoryLogger();
    const target = server.context;
    const party = createParty(
      'party_remote',
      'R',
      PeerInfo.fromDict(peerDict('r')),
      new Date(),
    ).party!;
    const frame = JSON.stringify({
      type: 'peer_left',
      party_id: 'party_local',
      peer_id: 'x',
      seq: 9,
    });
    receive(
      target,
      change({
        parties: [['party_remote', 4, storedParty(party)]],
        owners: [['r', 'tok-of-r-0123456789abcdef']],
        fanout: [[['h'], frame]],
      }),
      'me',
      logger,
    );
    expect(target.service.parties.get('party_remote')?.peers.has('r')).toBe(true);
    expect(target.service.seqOf('party_remote')).toBe(4);
    expect(target.service.presence.presenceOf('party_remote').r?.status).toBe('online');
    expect(target.sessions.ownerOf('r')).toBe('tok-of-r-0123456789abcdef');
    expect(await host.nextOfType('peer_left')).toMatchObject({ peer_id: 'x', seq: 9 });
    // Deleted on the other server: gone here too.
    receive(target, change({ parties: [['party_remote', 5, '']] }), 'me', logger);
    expect(target.service.parties.has('party_remote')).toBe(false);
    expect(logger.messages('warn')).toEqual([]);
  });

  it('ignores its own change and anything malformed, with a warning', async () => {
    const server = await rig.start();
    const logger = new MemoryLogger();
    const party = createParty('party_x', 'X', PeerInfo.fromDict(peerDict('x')), new Date()).party!;
    const own = change({ from: 'me', parties: [['party_x', 1, storedParty(party)]] });
    receive(server.context, own, 'me', logger);
    // Its own is known by its first bytes and not even read (no warning for what follows).
    receive(server.context, '{"from":"me",not json', 'me', logger);
    // A server whose id only starts like this one's is another server.
    receive(
      server.context,
      change({ from: 'me2', parties: [['party_x', 1, storedParty(party)]] }),
      'me',
      logger,
    );
    expect(server.context.service.parties.has('party_x')).toBe(true);
    receive(server.context, change({ parties: [['party_x', 2, '']] }), 'me', logger);
    for (const raw of ['not json', '[]', change({ parties: [['party_x', -1, '{}']] })]) {
      receive(server.context, raw, 'me', logger);
    }
    receive(server.context, change({ parties: [['party_x', 1, '{"bad":1}']] }), 'me', logger);
    expect(server.context.service.parties.has('party_x')).toBe(false);
    expect(logger.messages('warn')).toHaveLength(4);
  });
});

describe('receive: signals', () => {
  it('drops another server’s signal to a member with too much unread; events still go', async () => {
    const server = await rig.start();
    const sent: string[] = [];
    let room = false;
    const behind = {
      id: -1,
      sendRaw: (frame: string | Buffer) => sent.push(frame.toString()),
      hasRoomFor: () => room,
    };
    server.context.presence.attach('f', behind);
    const signal = JSON.stringify({
      type: 'signal',
      party_id: 'party_s',
      from_peer_id: 'r',
      to_peer_id: 'f',
      signal_data: { sdp: 'x' },
    });
    const left = JSON.stringify({ type: 'peer_left', party_id: 'party_s', peer_id: 'x', seq: 3 });
    const fanout: [string[], string][] = [
      [['f'], signal],
      [['f'], left],
    ];
    receive(server.context, change({ fanout }), 'me', new MemoryLogger());
    expect(sent).toEqual([left]);
    room = true;
    receive(server.context, change({ fanout: [[['f'], signal]] }), 'me', new MemoryLogger());
    expect(sent).toEqual([left, signal]);
  });
});

describe('receive: times', () => {
  it('refuses a change with a time no Date holds; the member’s disconnect then works', async () => {
    const server = await rig.start();
    const host = await rig.connect();
    await hostParty(host, 'party_t1', 'h');
    const { presence } = server.context.service;
    const before = presence.lastSeen('party_t1', 'h');
    const logger = new MemoryLogger();
    receive(server.context, change({ seen: [['party_t1', 'h', 1e20]] }), 'me', logger);
    receive(server.context, change({ at: 1e20 }), 'me', logger);
    expect(logger.messages('warn')).toHaveLength(2);
    expect(presence.lastSeen('party_t1', 'h')).toBe(before);
    // Its close listener writes the member's presence out: this is where the process died.
    await host.close();
    while (presence.presenceOf('party_t1').h?.status !== 'offline') await delay(10);
  });

  it('applies a valid change whole when its times leave Date’s range on this clock', async () => {
    const server = await rig.start();
    const host = await rig.connect();
    await hostParty(host, 'party_t2', 'h');
    const { service } = server.context;
    const party = createParty('party_v', 'V', PeerInfo.fromDict(peerDict('v')), new Date()).party!;
    const logger = new MemoryLogger();
    const frame = JSON.stringify({ type: 'peer_left', party_id: 'party_t2', peer_id: 'x', seq: 7 });
    // Sent at the last time a Date holds: year 0 on this clock is before the first one.
    const status = { status: 'online' as const, last_seen: '0000-01-01T00:00:00Z', rtt_ms: 5 };
    const raw = change({
      at: 8.64e15,
      parties: [['party_v', 1, storedParty(party)]],
      presence: [['party_v', 'v', status]],
      fanout: [[['h'], frame]],
    });
    receive(server.context, raw, 'me', logger);
    expect(service.presence.presenceOf('party_v').v?.rtt_ms).toBe(5);
    expect(await host.nextOfType('peer_left')).toMatchObject({ seq: 7 });
    // Sent at the epoch: a refresh at the last time is past it here, and skipped.
    const seenBefore = service.presence.lastSeen('party_v', 'v');
    receive(server.context, change({ at: 0, seen: [['party_v', 'v', 8.64e15]] }), 'me', logger);
    expect(service.presence.lastSeen('party_v', 'v')).toBe(seenBefore);
    expect(logger.messages('warn')).toEqual([]);
  });
});

describe('reloadConflict', () => {
  it('keeps an access row this server changed while the refused batch was read back', async () => {
    const server = await rig.start();
    await hostParty(await rig.connect(), 'party_rc', 'h');
    const { access } = server.context;
    let answer: (rows: AccessRow[]) => void = () => undefined;
    const store: SharedStore = {
      load: () => Promise.reject(new Error('not used')),
      loadParties: () => Promise.resolve(new Map()),
      ownersOf: () => Promise.resolve(new Map()),
      accessOf: () => new Promise((resolve) => (answer = (rows) => resolve({ rows }))),
    };
    const row = { kind: AccessKind.BAN, key: 'party_rc\u0000x' };
    const conflict = new StoreConflict(['party_rc'], []);
    conflict.touched.access = [row];
    const reloaded = reloadConflict(server.context, store, conflict);
    // The host bans x while the store's copy of that row (none) is on its way back.
    access.bans.ban('party_rc', 'x', 'X', null, new Date());
    answer([{ ...row, value: null }]);
    await reloaded;
    expect(access.bans.isBanned('party_rc', 'x', null)).toBe(true);
  });
});

describe('isOwnChange', () => {
  it('knows a change this server published, and only that one', () => {
    const { head, parties, tail } = changeParts('server-a', { parties: [], owners: [] }, []);
    const raw = head + parties + tail;
    expect(isOwnChange(raw, 'server-a')).toBe(true);
    expect(isOwnChange(raw, 'server-b')).toBe(false);
    expect(isOwnChange(raw, 'server-')).toBe(false);
    // The same on the bytes as they come from Redis.
    expect(ownChangeTest('server-a')(Buffer.from(raw))).toBe(true);
    expect(ownChangeTest('server-')(Buffer.from(raw))).toBe(false);
    expect(ownChangeTest('server-a')(Buffer.from('{"from"'))).toBe(false);
  });
});

describe('changeParts', () => {
  it('joined as the commit script publishes them, makes a change the others read', () => {
    const party = createParty('party_x', 'X', PeerInfo.fromDict(peerDict('x')), new Date()).party!;
    const batch = {
      parties: [{ partyId: 'party_x', base: null, next: party }],
      owners: [{ peerId: 'x', token: 'tok-x' }],
      seqs: new Map([['party_x', { base: 0, seq: 1, baseVersion: '', version: 'v1' }]]),
      replication: {
        presence: [],
        fanout: [[['x'], '{"type":"peer_left"}']] as [string[], string][],
      },
    };
    const { head, parties, tail } = changeParts('server-a', batch, partyWrites(batch));
    const parsed = ChangeMessageSchema.parse(JSON.parse(head + parties + tail));
    expect(parsed.parties).toEqual([['party_x', 1, storedParty(party), 'v1', '']]);
    expect(parsed).toMatchObject({ from: 'server-a', owners: [['x', 'tok-x']] });
    expect(parsed.fanout).toEqual(batch.replication.fanout);
  });
});
