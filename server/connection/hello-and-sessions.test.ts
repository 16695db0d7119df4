/**
 * Who a connection is, on each backend: hello (and the older auth) answered with a session
 * token, and that token, not a peer id in a message, deciding which peer it may act for.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/protocol';
import type { RunningServer } from '../server-core';
import { TestIdentity } from '../access/test-util/identity';
import { protocolRig } from '../test-util/protocol-rig';
import { delay, hostParty, peerDict } from '../test-util/support';

const { backends, rig, startOn, client, partyOfTwo } = protocolRig();
let server: RunningServer;

describe.each(backends.cases)('the protocol (%s backend)', (_backend, backendOptions) => {
  beforeEach(async () => {
    server = await startOn(backendOptions);
  });

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

    it('a hello refused for its identity proof does not switch to the session it names', async () => {
      const { host } = await partyOfTwo();
      const token = server.context.sessions.ownerOf('peer456')!;
      const route = server.context.presence.routeOf('peer456');
      const intruder = await rig.connect();
      const identity = {
        public_key: new TestIdentity().publicKey,
        signature: 'A'.repeat(86) + '==',
      };
      const refused = await intruder.request({
        type: 'hello',
        version: '1.9',
        client: 'lanrage',
        session_token: token,
        identity,
      });
      expect(refused).toMatchObject({ type: 'error', code: 'forbidden' });
      const beat = { type: 'heartbeat', party_id: 'party_abc123', peer_id: 'peer456' };
      expect(await intruder.request(beat)).toMatchObject({ type: 'error', code: 'forbidden' });
      // Nothing of the session's reached it: no route to its peer, no event of its party.
      expect(server.context.presence.routeOf('peer456')).toBe(route);
      await host.request({
        type: 'update_party',
        party_id: 'party_abc123',
        settings: { locked: true },
      });
      await delay(50);
      expect(intruder.received.filter((f) => f.party_id === 'party_abc123')).toEqual([]);
    });

    it('a dropped connection leaves its peer in the party', async () => {
      const { guest } = await partyOfTwo();
      await guest.close();
      await new Promise((r) => setTimeout(r, 50));
      expect(server.context.service.parties.get('party_abc123')!.peers.has('peer456')).toBe(true);
    });
  });

  describe('sessions that own nothing (connection churn)', () => {
    /** The registry's sessions once every close has been handled (the client hears first). */
    async function settledCount(expected: number): Promise<number> {
      for (let i = 0; i < 100 && server.context.sessions.sessionCount > expected; i++) {
        await delay(20);
      }
      return server.context.sessions.sessionCount;
    }

    it('connect, hello, close leaves no session behind, and such a token resumes nothing', async () => {
      const { host } = await partyOfTwo();
      const before = server.context.sessions.sessionCount;
      let last = '';
      for (let i = 0; i < 30; i++) {
        const c = await rig.connect();
        last = await c.hello();
        await c.close();
      }
      expect(await settledCount(before)).toBe(before);
      // Presented again it is not known: a new session is issued, as for a made-up token.
      const again = await rig.connect();
      expect(await again.hello(last)).not.toBe(last);
      await again.close();
      expect(await settledCount(before)).toBe(before);
      expect(host.received.filter((f) => f.type === 'error')).toEqual([]);
    });

    it('a hello resuming another session gives up the fresh one at once', async () => {
      await partyOfTwo();
      const before = server.context.sessions.sessionCount;
      const first = await rig.connect();
      const token = await first.hello();
      const second = await rig.connect();
      expect(await second.hello(token)).toBe(token);
      expect(server.context.sessions.sessionCount).toBe(before + 1);
      // Held by the second connection: the first one closing does not forget it.
      await first.close();
      await delay(50);
      const third = await rig.connect();
      expect(await third.hello(token)).toBe(token);
      await Promise.all([second.close(), third.close()]);
      expect(await settledCount(before)).toBe(before);
    });

    it('a session that owns a peer id is kept after its connection closes, and resumes it', async () => {
      const { host } = await partyOfTwo();
      const before = server.context.sessions.sessionCount;
      const token = server.context.sessions.ownerOf('peer123')!;
      await host.close();
      await delay(100);
      expect(server.context.sessions.isKnown(token)).toBe(true);
      expect(server.context.sessions.sessionCount).toBe(before);
      const back = await rig.connect();
      expect(await back.hello(token)).toBe(token);
      const beat = { type: 'heartbeat', party_id: 'party_abc123', peer_id: 'peer123' };
      expect(await back.request(beat)).toMatchObject({ type: 'heartbeat_ack' });
    });
  });
});
