/** Protocol 1.1 presence on each backend: online, offline, back, rtt, and the timeout. */
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../electron/core/test-util/manual-clock';
import { P, beat, peerStatuses, settle, statusOf, presenceRig } from '../test-util/presence-rig';

const { backends, rig, startOn, member } = presenceRig();
let clock: ManualClock;

describe.each(backends.cases)('presence on the %s backend', (_backend, backendOptions) => {
  async function start(): Promise<void> {
    ({ clock } = await startOn(backendOptions));
  }

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
});
