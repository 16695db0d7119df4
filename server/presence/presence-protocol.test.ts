/**
 * Protocol 1.1 presence and host hand-over, against a real server on a real socket with a
 * manual clock (heartbeat interval 1 s, peer timeout 10 s), plus the 1.0 path a client that
 * never sends `rtt_ms` or `settings` takes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendCases } from '../state/test-util/backend-cases';
import { ManualClock } from '../../electron/core/test-util/manual-clock';
import type { RunningServer } from '../server-core';
import { TestRig, delay, peerDict, type Frame, type RawClient } from '../test-util/support';

const rig = new TestRig();
afterEach(() => rig.cleanup());
const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());

const P = 'party_pres';
let clock: ManualClock;
let server: RunningServer;

describe.each(backends.cases)('presence on the %s backend', (_backend, backendOptions) => {
  async function start(): Promise<void> {
    clock = new ManualClock(Date.UTC(2026, 0, 29, 12));
    server = await rig.start({
      ...(await backendOptions(randomUUID())),
      clock,
      heartbeatIntervalS: 1,
      peerTimeoutMs: 10_000,
      sweepIntervalMs: 1000,
    });
  }

  async function member(
    peerId: string,
    how: 'register' | 'join',
    settings?: object,
  ): Promise<{ c: RawClient; token: string; answer: Frame }> {
    const c = await rig.connect();
    const token = await c.hello();
    const answer =
      how === 'register'
        ? await c.request({
            type: 'register_party',
            party_id: P,
            name: 'P',
            host_peer: peerDict(peerId),
            ...(settings ? { settings } : {}),
          })
        : await c.request({ type: 'join_party', party_id: P, peer: peerDict(peerId) });
    expect(answer.type).toBe('party_update');
    return { c, token, answer };
  }

  const beat = (c: RawClient, peerId: string, rtt?: number) =>
    c.request({
      type: 'heartbeat',
      party_id: P,
      peer_id: peerId,
      ...(rtt === undefined ? {} : { rtt_ms: rtt }),
    });

  const statusOf = (c: RawClient, peerId: string, status: string) =>
    c.next((f) => f.type === 'peer_status' && f.peer_id === peerId && f.status === status);

  /** Lets frames already sent reach the clients. */
  const settle = () => delay(50);

  const peerStatuses = (c: RawClient) => c.received.filter((f) => f.type === 'peer_status');

  describe('presence (protocol 1.1)', () => {
    it('party_update carries presence beside the seed party dict (plus its settings, 1.2)', async () => {
      await start();
      await member('h', 'register');
      const { answer } = await member('g', 'join');
      expect(Object.keys(answer.party as object).sort()).toEqual(
        ['created_at', 'host_id', 'name', 'party_id', 'peers', 'settings'].sort(),
      );
      expect(answer.presence).toEqual({
        h: { status: 'online', last_seen: new Date(clock.now()).toISOString(), rtt_ms: null },
        g: { status: 'online', last_seen: new Date(clock.now()).toISOString(), rtt_ms: null },
      });
    });

    it('a closed connection is offline at once for the others; back online when it resumes', async () => {
      await start();
      const host = await member('h', 'register');
      const guest = await member('g', 'join');
      await guest.c.close();
      const offline = await statusOf(host.c, 'g', 'offline');
      expect(offline).toMatchObject({ party_id: P, rtt_ms: null });
      const again = await rig.connect();
      await again.hello(guest.token);
      await statusOf(host.c, 'g', 'online');
    });

    it('two intervals without a heartbeat: offline; a beat brings it back online', async () => {
      await start();
      const host = await member('h', 'register');
      const guest = await member('g', 'join');
      const lastBeat = clock.now();
      await clock.advance(1000);
      await beat(host.c, 'h');
      await clock.advance(1000);
      await beat(host.c, 'h');
      await settle();
      expect(peerStatuses(host.c)).toEqual([]);
      await clock.advance(1000);
      await beat(host.c, 'h');
      const offline = await statusOf(host.c, 'g', 'offline');
      expect(offline.last_seen).toBe(new Date(lastBeat).toISOString());
      await beat(guest.c, 'g');
      await statusOf(host.c, 'g', 'online');
      // The member itself is never told about itself.
      expect(guest.c.received.filter((f) => f.type === 'peer_status' && f.peer_id === 'g')).toEqual(
        [],
      );
    });

    it('steady heartbeats push nothing; rtt is pushed on a notable change at most once per interval', async () => {
      await start();
      const host = await member('h', 'register');
      const guest = await member('g', 'join');
      await beat(guest.c, 'g', 10);
      expect(await statusOf(host.c, 'g', 'online')).toMatchObject({ rtt_ms: 10 });
      for (let i = 0; i < 5; i++) {
        await clock.advance(500);
        await beat(guest.c, 'g', 10 + (i % 2) * 4); // 40 % but under 5 ms: not notable
        await beat(host.c, 'h');
      }
      await settle();
      expect(peerStatuses(host.c)).toEqual([]);
      await beat(guest.c, 'g', 80);
      expect(await statusOf(host.c, 'g', 'online')).toMatchObject({ rtt_ms: 80 });
      await clock.advance(200);
      await beat(guest.c, 'g', 200); // notable, but within the interval of the last push
      await settle();
      expect(peerStatuses(host.c)).toEqual([]);
      await clock.advance(900);
      await beat(guest.c, 'g', 200);
      expect(await statusOf(host.c, 'g', 'online')).toMatchObject({ rtt_ms: 200 });
      const snapshot = await host.c.request({ type: 'get_party', party_id: P });
      expect(snapshot.presence).toMatchObject({ g: { status: 'online', rtt_ms: 200 } });
    });

    it('a member offline for the peer timeout is removed with reason timeout; a leave says left', async () => {
      await start();
      const host = await member('h', 'register');
      const guest = await member('g', 'join');
      const other = await member('o', 'join');
      await other.c.request({ type: 'leave_party', party_id: P, peer_id: 'o' });
      expect(await host.c.nextOfType('peer_left')).toMatchObject({ peer_id: 'o', reason: 'left' });
      await guest.c.close();
      for (let s = 0; s < 11; s++) {
        await clock.advance(1000);
        await beat(host.c, 'h');
      }
      expect(await host.c.nextOfType('peer_left')).toMatchObject({
        peer_id: 'g',
        reason: 'timeout',
      });
    });
  });

  describe('host hand-over (protocol 1.1)', () => {
    it('transfer_host: ack, then every member hears host_changed; only the host may', async () => {
      await start();
      const host = await member('h', 'register');
      const a = await member('a', 'join');
      const b = await member('b', 'join');
      const refused = await a.c.request({ type: 'transfer_host', party_id: P, to_peer_id: 'a' });
      expect(refused).toMatchObject({ type: 'error', code: 'forbidden' });
      const ack = await host.c.request({ type: 'transfer_host', party_id: P, to_peer_id: 'b' });
      expect(ack.type).toBe('ack');
      for (const c of [host.c, a.c, b.c]) {
        expect(await c.nextOfType('host_changed')).toMatchObject({
          party_id: P,
          host_id: 'b',
          reason: 'transfer',
        });
      }
      expect(server.context.service.parties.get(P)!.hostId).toBe('b');
      const unknown = await b.c.request({ type: 'transfer_host', party_id: P, to_peer_id: 'zz' });
      expect(unknown).toMatchObject({ type: 'error', code: 'not_found' });
    });

    it('with host_migration the leaving host hands over to the longest-present online member', async () => {
      await start();
      const host = await member('h', 'register', { host_migration: true });
      const first = await member('first', 'join');
      const second = await member('second', 'join');
      const third = await member('third', 'join');
      await first.c.close(); // longest present, but offline
      await statusOf(second.c, 'first', 'offline');
      await host.c.request({ type: 'leave_party', party_id: P, peer_id: 'h' });
      for (const c of [second.c, third.c]) {
        expect(await c.nextOfType('host_changed')).toMatchObject({
          host_id: 'second',
          reason: 'host_left',
        });
      }
      expect(second.c.received.some((f) => f.type === 'party_closed')).toBe(false);
    });

    it('with host_migration a host offline for two intervals is replaced; back, it is an ordinary member', async () => {
      await start();
      const host = await member('h', 'register', { host_migration: true });
      const a = await member('a', 'join');
      const b = await member('b', 'join');
      await host.c.close();
      await statusOf(a.c, 'h', 'offline');
      await clock.advance(1000);
      await Promise.all([beat(a.c, 'a'), beat(b.c, 'b')]);
      await settle();
      expect(a.c.received.some((f) => f.type === 'host_changed')).toBe(false);
      await clock.advance(1000);
      expect(await a.c.nextOfType('host_changed')).toMatchObject({
        host_id: 'a',
        reason: 'host_offline',
      });
      expect(await b.c.nextOfType('host_changed')).toMatchObject({ host_id: 'a' });
      const back = await rig.connect();
      await back.hello(host.token);
      await statusOf(a.c, 'h', 'online');
      const snapshot = await back.request({ type: 'get_party', party_id: P });
      expect(snapshot.party).toMatchObject({ host_id: 'a' });
    });

    it('without host_migration an offline host stays host', async () => {
      await start();
      const host = await member('h', 'register');
      const a = await member('a', 'join');
      await host.c.close();
      await statusOf(a.c, 'h', 'offline');
      await clock.advance(5000);
      await beat(a.c, 'a');
      await settle();
      expect(a.c.received.some((f) => f.type === 'host_changed')).toBe(false);
      expect(server.context.service.parties.get(P)!.hostId).toBe('h');
    });
  });

  describe('party_closed reasons', () => {
    it('close_party: closed_by_host to the guests; a guest may not', async () => {
      await start();
      const host = await member('h', 'register', { host_migration: true });
      const guest = await member('g', 'join');
      const refused = await guest.c.request({ type: 'close_party', party_id: P });
      expect(refused).toMatchObject({ type: 'error', code: 'forbidden' });
      expect((await host.c.request({ type: 'close_party', party_id: P })).type).toBe('ack');
      expect(await guest.c.nextOfType('party_closed')).toMatchObject({ reason: 'closed_by_host' });
      expect(server.context.service.parties.has(P)).toBe(false);
    });

    it('a host timed out without hand-over closes the party with reason timeout', async () => {
      await start();
      const host = await member('h', 'register');
      const guest = await member('g', 'join');
      await host.c.close();
      for (let s = 0; s < 11; s++) {
        await clock.advance(1000);
        await beat(guest.c, 'g');
      }
      expect(await guest.c.nextOfType('party_closed')).toMatchObject({ reason: 'timeout' });
    });
  });

  describe('a 1.0 client (no rtt_ms, no settings)', () => {
    it('keeps the seed rules: heartbeats acked, the host leaving closes the party with host_left', async () => {
      await start();
      const host = await member('h', 'register');
      const guest = await member('g', 'join');
      for (let i = 0; i < 3; i++) {
        await clock.advance(1000);
        expect((await beat(guest.c, 'g')).type).toBe('heartbeat_ack');
        expect((await beat(host.c, 'h')).type).toBe('heartbeat_ack');
      }
      await settle();
      expect(peerStatuses(guest.c)).toEqual([]);
      expect(server.context.service.presencePushes).toBe(0);
      await host.c.request({ type: 'leave_party', party_id: P, peer_id: 'h' });
      expect(await guest.c.nextOfType('party_closed')).toMatchObject({ reason: 'host_left' });
      expect(guest.c.received.some((f) => f.type === 'host_changed')).toBe(false);
    });

    it('refuses a malformed rtt_ms or settings with bad_request and changes nothing', async () => {
      await start();
      const host = await member('h', 'register');
      const bad = await beat(host.c, 'h', -5);
      expect(bad).toMatchObject({ type: 'error', code: 'bad_request' });
      const c = await rig.connect();
      await c.hello();
      const refused = await c.request({
        type: 'register_party',
        party_id: 'party_other_x',
        name: 'O',
        host_peer: peerDict('x'),
        settings: { host_migration: 'yes' },
      });
      expect(refused).toMatchObject({ type: 'error', code: 'bad_request' });
      expect(server.context.service.parties.has('party_other_x')).toBe(false);
    });
  });
});
