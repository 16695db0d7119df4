/** The party messages of the protocol on each backend, through a real server and raw clients. */
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '../../shared/protocol/protocol';
import { PRESENCE_JSON_MAX_AGE_MS } from '../presence/presence-table';
import type { RunningServer } from '../server-core';
import { protocolRig } from '../test-util/protocol-rig';
import { peerDict } from '../test-util/support';

const { backends, startOn, client, partyOfTwo } = protocolRig();
let server: RunningServer;

describe.each(backends.cases)('the protocol (%s backend)', (_backend, backendOptions) => {
  beforeEach(async () => {
    server = await startOn(backendOptions);
  });

  describe('party messages', () => {
    it('register_party answers party_update with the host in it', async () => {
      const c = await client();
      const answer = await c.request({
        type: 'register_party',
        party_id: 'party_abc123',
        name: 'Gaming Night',
        host_peer: peerDict('peer123'),
      });
      expect(answer.type).toBe('party_update');
      expect(answer.party).toMatchObject({ party_id: 'party_abc123', host_id: 'peer123' });
      expect(Object.keys((answer.party as { peers: object }).peers)).toEqual(['peer123']);
    });

    it('register_party with an id in use is a conflict error', async () => {
      const { guest } = await partyOfTwo();
      const answer = await guest.request({
        type: 'register_party',
        party_id: 'party_abc123',
        name: 'Again',
        host_peer: peerDict('peer456'),
      });
      expect(answer).toMatchObject({ type: 'error', code: 'conflict' });
    });

    it('join_party gives the joiner every peer and tells the others peer_joined', async () => {
      const host = await client();
      const guest = await client();
      await host.request({
        type: 'register_party',
        party_id: 'party_p1_x',
        name: 'P',
        host_peer: peerDict('h'),
      });
      const answer = await guest.request({
        type: 'join_party',
        party_id: 'party_p1_x',
        peer: peerDict('g'),
      });
      expect(answer.type).toBe('party_update');
      expect(Object.keys((answer.party as { peers: object }).peers).sort()).toEqual(['g', 'h']);
      const joined = await host.nextOfType('peer_joined');
      expect(joined).toMatchObject({
        party_id: 'party_p1_x',
        peer: { peer_id: 'g', name: 'Player g' },
      });
    });

    it('join_party of an unknown party is "Party not found"', async () => {
      const c = await client();
      const answer = await c.request({
        type: 'join_party',
        party_id: 'party_nope_x',
        peer: peerDict('x'),
      });
      expect(answer).toMatchObject({
        type: 'error',
        message: 'Party not found',
        code: 'not_found',
      });
    });

    it('heartbeat answers heartbeat_ack with server_time and refreshes last_seen', async () => {
      const { guest } = await partyOfTwo();
      const { presence, parties } = server.context.service;
      const party = parties.get('party_abc123')!;
      const before = presence.lastSeen('party_abc123', 'peer456')!;
      const ack = await guest.request({
        type: 'heartbeat',
        party_id: 'party_abc123',
        peer_id: 'peer456',
      });
      expect(ack.type).toBe('heartbeat_ack');
      const serverTime = Date.parse(ack.server_time as string);
      expect(Math.abs(serverTime - Date.now())).toBeLessThan(5000);
      expect(presence.lastSeen('party_abc123', 'peer456')).toBe(serverTime);
      expect(serverTime).toBeGreaterThanOrEqual(before);
      // The heartbeat copied nothing: the party object is the same one.
      expect(parties.get('party_abc123')).toBe(party);
      // The live last seen travels in presence (the party dict's is that of its last change),
      // cached for at most PRESENCE_JSON_MAX_AGE_MS (presence-table.test.ts).
      const snapshot = await guest.request({ type: 'get_party', party_id: 'party_abc123' });
      const live = snapshot.presence as Record<string, { last_seen: string }>;
      const lag = serverTime - Date.parse(live.peer456!.last_seen);
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThanOrEqual(PRESENCE_JSON_MAX_AGE_MS);
    });

    it('update_peer acks and sends party_update to the other members', async () => {
      const { host, guest } = await partyOfTwo();
      const ack = await guest.request({
        type: 'update_peer',
        party_id: 'party_abc123',
        peer: peerDict('peer456', { public_port: 40000 }),
      });
      expect(ack.type).toBe('ack');
      const update = await host.nextOfType('party_update');
      expect(update).toMatchObject({
        party: { peers: { peer456: { public_port: 40000 } } },
      });
      expect(guest.received.filter((f) => f.type === 'party_update')).toEqual([]);
    });

    it('signal is relayed to the named peer', async () => {
      const { host, guest } = await partyOfTwo();
      const ack = await host.request({
        type: 'signal',
        party_id: 'party_abc123',
        from_peer_id: 'peer123',
        to_peer_id: 'peer456',
        signal_data: { sdp: 'offer', candidates: [1, 2] },
      });
      expect(ack.type).toBe('ack');
      expect(await guest.nextOfType('signal')).toEqual({
        type: 'signal',
        party_id: 'party_abc123',
        from_peer_id: 'peer123',
        to_peer_id: 'peer456',
        signal_data: { sdp: 'offer', candidates: [1, 2] },
      });
    });

    it('a signal that written out is larger than any frame is refused, not relayed', async () => {
      const { host, guest } = await partyOfTwo();
      // `1e20` is written back as 21 digits: a 48 KiB frame becomes an 84 KiB push.
      const numbers = Array.from({ length: 2000 }, () => '1e20').join(',');
      const data = `{"sdp":"${'a'.repeat(40_000)}","n":[${numbers}]}`;
      const sent = `{"type":"signal","party_id":"party_abc123","from_peer_id":"peer123","to_peer_id":"peer456","signal_data":${data},"request_id":"big"}`;
      expect(Buffer.byteLength(sent)).toBeLessThan(MAX_FRAME_BYTES);
      host.sendRaw(sent);
      const refused = await host.next((f) => f.request_id === 'big');
      expect(refused).toMatchObject({ type: 'error', code: 'bad_request' });
      expect(refused.message).toMatch(/too large to relay/);
      // The link goes on: the next signal is relayed, and it is the first the guest gets.
      const ack = await host.request({
        type: 'signal',
        party_id: 'party_abc123',
        from_peer_id: 'peer123',
        to_peer_id: 'peer456',
        signal_data: { sdp: 'small' },
      });
      expect(ack.type).toBe('ack');
      expect((await guest.nextOfType('signal')).signal_data).toEqual({ sdp: 'small' });
    });

    it('get_party answers party_update, or not_found', async () => {
      const { guest } = await partyOfTwo();
      const answer = await guest.request({ type: 'get_party', party_id: 'party_abc123' });
      expect(answer).toMatchObject({ type: 'party_update', party: { name: 'Gaming Night' } });
      const missing = await guest.request({ type: 'get_party', party_id: 'party_other_x' });
      expect(missing).toMatchObject({ type: 'error', code: 'not_found' });
    });

    it('leave_party acks and tells the others peer_left', async () => {
      const { host, guest } = await partyOfTwo();
      const ack = await guest.request({
        type: 'leave_party',
        party_id: 'party_abc123',
        peer_id: 'peer456',
      });
      expect(ack.type).toBe('ack');
      expect(await host.nextOfType('peer_left')).toMatchObject({
        party_id: 'party_abc123',
        peer_id: 'peer456',
      });
      expect(server.context.service.parties.get('party_abc123')!.peers.has('peer456')).toBe(false);
    });

    it('when the host leaves, the others get peer_left and party_closed and the party is gone', async () => {
      const { host, guest } = await partyOfTwo();
      await host.request({ type: 'leave_party', party_id: 'party_abc123', peer_id: 'peer123' });
      expect(await guest.nextOfType('peer_left')).toMatchObject({ peer_id: 'peer123' });
      expect(await guest.nextOfType('party_closed')).toMatchObject({ party_id: 'party_abc123' });
      expect(server.context.service.parties.has('party_abc123')).toBe(false);
    });
  });
});
