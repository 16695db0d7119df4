/** Protocol 1.1 host hand-over on each backend: transfer_host and host_migration. */
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../electron/core/test-util/manual-clock';
import type { RunningServer } from '../server-core';
import { P, beat, settle, statusOf, presenceRig } from '../test-util/presence-rig';

const { backends, rig, startOn, member } = presenceRig();
let clock: ManualClock;
let server: RunningServer;

describe.each(backends.cases)('presence on the %s backend', (_backend, backendOptions) => {
  async function start(): Promise<void> {
    ({ clock, server } = await startOn(backendOptions));
  }

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
});
