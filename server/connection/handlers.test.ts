import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendCases } from '../state/test-util/backend-cases';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { PRESENCE_JSON_MAX_AGE_MS } from '../presence/presence-table';
import type { RunningServer } from '../server-core';
import { TestRig, delay, hostParty, peerDict, type RawClient } from '../test-util/support';

const rig = new TestRig();
let server: RunningServer;

afterEach(() => rig.cleanup());
const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());

describe.each(backends.cases)('the protocol (%s backend)', (_backend, backendOptions) => {
  beforeEach(async () => {
    const backend = await backendOptions(randomUUID());
    server = await rig.start({ heartbeatIntervalS: 7, peerTimeoutMs: 42_000, ...backend });
  });

  async function client(): Promise<RawClient> {
    const c = await rig.connect();
    await c.hello();
    return c;
  }

  async function partyOfTwo(): Promise<{ host: RawClient; guest: RawClient }> {
    const host = await client();
    const guest = await client();
    await host.request({
      type: 'register_party',
      party_id: 'party_abc123',
      name: 'Gaming Night',
      host_peer: peerDict('peer123'),
    });
    await guest.request({
      type: 'join_party',
      party_id: 'party_abc123',
      peer: peerDict('peer456'),
    });
    await host.nextOfType('peer_joined');
    return { host, guest };
  }

  describe('hello and auth', () => {
    it('answers hello with welcome carrying token, version, intervals and the request_id', async () => {
      const c = await rig.connect();
      const welcome = await c.request({ type: 'hello', version: '1.0', client: 'lanrage' });
      expect(welcome).toMatchObject({
        type: 'welcome',
        version: PROTOCOL_VERSION,
        heartbeat_interval: 7,
        peer_timeout: 42,
        request_id: 'req-1',
      });
      expect(welcome.session_token).toMatch(/^\w{32}$/);
      // 1.6: the server's clock, so a client whose clock is off reads its dates right.
      expect(Math.abs(Date.parse(welcome.server_time as string) - Date.now())).toBeLessThan(5000);
    });

    it('accepts the older auth form', async () => {
      const c = await rig.connect();
      expect((await c.request({ type: 'auth' })).type).toBe('welcome');
    });
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

  describe('sessions', () => {
    it('a heartbeat that brings a peer back online routes it to the beating connection', async () => {
      const { host, guest } = await partyOfTwo();
      const token = server.context.sessions.ownerOf('peer123')!;
      // The same session resumed elsewhere takes the host's route; that connection then drops.
      const other = await rig.connect();
      await other.hello(token);
      await other.close();
      for (let i = 0; i < 150 && server.context.presence.isConnected('peer123'); i++)
        await delay(20);
      expect(server.context.presence.isConnected('peer123')).toBe(false);
      const beat = { type: 'heartbeat', party_id: 'party_abc123', peer_id: 'peer123' };
      expect((await host.request(beat)).type).toBe('heartbeat_ack');
      const signal = await guest.request({
        type: 'signal',
        party_id: 'party_abc123',
        from_peer_id: 'peer456',
        to_peer_id: 'peer123',
        signal_data: 'hi',
      });
      expect(signal.type).toBe('ack');
      expect(await host.nextOfType('signal')).toMatchObject({ signal_data: 'hi' });
    });

    it('refuses a message naming another connection’s peer id with forbidden', async () => {
      const { host, guest } = await partyOfTwo();
      const before = server.context.service.parties.get('party_abc123')!.toDict();
      const hostOwner = server.context.sessions.ownerOf('peer123');
      const attempts = [
        { type: 'leave_party', party_id: 'party_abc123', peer_id: 'peer123' },
        {
          type: 'register_party',
          party_id: 'party_other_x',
          name: 'O',
          host_peer: peerDict('peer123'),
        },
        { type: 'heartbeat', party_id: 'party_abc123', peer_id: 'peer123' },
        {
          type: 'update_peer',
          party_id: 'party_abc123',
          peer: peerDict('peer123', { public_ip: '198.51.100.66', public_port: 6666 }),
        },
        { type: 'join_party', party_id: 'party_abc123', peer: peerDict('peer123') },
        {
          type: 'signal',
          party_id: 'party_abc123',
          from_peer_id: 'peer123',
          to_peer_id: 'peer456',
          signal_data: 'x',
        },
      ];
      for (const attempt of attempts) {
        expect(await guest.request(attempt), attempt.type).toMatchObject({
          type: 'error',
          code: 'forbidden',
        });
      }
      // Nothing changed: not membership, not address, not even the host's last seen.
      expect(server.context.service.parties.get('party_abc123')!.toDict()).toEqual(before);
      expect(server.context.service.parties.has('party_other_x')).toBe(false);
      expect(server.context.sessions.ownerOf('peer123')).toBe(hostOwner);
      expect(host.received).toEqual([]);
    });

    it('hello with a token the server never issued keeps the fresh session; it grants nothing', async () => {
      const { host } = await partyOfTwo();
      const intruder = await rig.connect();
      const forged = 'A'.repeat(32);
      const token = await intruder.hello(forged);
      expect(token).not.toBe(forged);
      expect(
        await intruder.request({
          type: 'leave_party',
          party_id: 'party_abc123',
          peer_id: 'peer123',
        }),
      ).toMatchObject({ type: 'error', code: 'forbidden' });
      expect(server.context.service.parties.get('party_abc123')!.peers.has('peer123')).toBe(true);
      expect(host.received.filter((f) => f.type === 'peer_left')).toEqual([]);
    });

    it('a new connection presenting the session token acts as the old peer again', async () => {
      const first = await rig.connect();
      const token = await hostParty(first, 'party_p1_x', 'h');
      await first.close();
      const stranger = await client();
      expect(
        await stranger.request({ type: 'heartbeat', party_id: 'party_p1_x', peer_id: 'h' }),
      ).toMatchObject({ code: 'forbidden' });
      const again = await rig.connect();
      expect(await again.hello(token)).toBe(token);
      expect(
        await again.request({ type: 'heartbeat', party_id: 'party_p1_x', peer_id: 'h' }),
      ).toMatchObject({
        type: 'heartbeat_ack',
      });
    });

    it('a dropped connection leaves its peer in the party', async () => {
      const { guest } = await partyOfTwo();
      await guest.close();
      await new Promise((r) => setTimeout(r, 50));
      expect(server.context.service.parties.get('party_abc123')!.peers.has('peer456')).toBe(true);
    });
  });
});
