/** Why a party closed, on each backend: closed by its host, or its host timed out. */
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../electron/core/test-util/manual-clock';
import type { RunningServer } from '../server-core';
import { P, beat, presenceRig } from '../test-util/presence-rig';

const { backends, startOn, member } = presenceRig();
let clock: ManualClock;
let server: RunningServer;

describe.each(backends.cases)('presence on the %s backend', (_backend, backendOptions) => {
  async function start(): Promise<void> {
    ({ clock, server } = await startOn(backendOptions));
  }

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
});
