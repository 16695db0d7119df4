/** A 1.0 client (no rtt_ms, no settings) keeps the seed rules on each backend. */
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../electron/core/test-util/manual-clock';
import type { RunningServer } from '../server-core';
import { P, beat, peerStatuses, settle, presenceRig } from '../test-util/presence-rig';
import { peerDict } from '../test-util/support';

const { backends, rig, startOn, member } = presenceRig();
let clock: ManualClock;
let server: RunningServer;

describe.each(backends.cases)('presence on the %s backend', (_backend, backendOptions) => {
  async function start(): Promise<void> {
    ({ clock, server } = await startOn(backendOptions));
  }

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
      // Neither member was told of a presence change (no rtt_ms: no status to tell).
      expect(peerStatuses(guest.c)).toEqual([]);
      expect(peerStatuses(host.c)).toEqual([]);
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
