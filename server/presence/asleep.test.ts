/**
 * Protocol 1.12's `going_to_sleep` on each backend: the member is `asleep` for the others
 * (`offline` for a client before 1.12, whose schema has no `asleep`) until its next beat, and
 * still removed at the peer timeout if it never beats again.
 */
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../electron/core/test-util/manual-clock';
import { P, beat, peerStatuses, settle, statusOf, presenceRig } from '../test-util/presence-rig';
import { peerDict, type RawClient } from '../test-util/support';

const { backends, rig, startOn, member } = presenceRig();
let clock: ManualClock;
let host: RawClient;

/** A client that declared `version` in its hello (resuming `token`'s session). */
async function helloAt(version: string, token?: string): Promise<RawClient & { token: string }> {
  const c = await rig.connect();
  const resume = token === undefined ? {} : { session_token: token };
  const welcome = await c.request({ type: 'hello', version, client: 'lanrage', ...resume });
  return Object.assign(c, { token: welcome.session_token as string });
}

/** A client that declared `version` in its hello, joined to P as `peerId`. */
async function joinedAt(version: string, peerId: string): Promise<RawClient & { token: string }> {
  const c = await helloAt(version);
  const answer = await c.request({ type: 'join_party', party_id: P, peer: peerDict(peerId) });
  expect(answer.type).toBe('party_update');
  return c;
}

const sleep = (c: RawClient, peerId: string) =>
  c.request({ type: 'going_to_sleep', party_id: P, peer_id: peerId });

/** The other members beat (the sleeper does not). */
async function othersBeat(c: RawClient, seconds: number): Promise<void> {
  for (let s = 0; s < seconds; s++) {
    await clock.advance(1000);
    await beat(c, 'n');
    await beat(host, 'h');
  }
}

const toldOf = (c: RawClient, peerId: string) =>
  peerStatuses(c)
    .filter((f) => f.peer_id === peerId)
    .map((f) => f.status);

const statusIn = async (c: RawClient, peerId: string): Promise<unknown> => {
  const snapshot = await c.request({ type: 'get_party', party_id: P });
  return (snapshot.presence as Record<string, { status: string }>)[peerId]?.status;
};

describe.each(backends.cases)('going to sleep on the %s backend', (_backend, backendOptions) => {
  async function start(): Promise<void> {
    ({ clock } = await startOn(backendOptions));
    ({ c: host } = await member('h', 'register'));
  }

  it('is asleep to 1.12 members, offline to a 1.11 one, online again at its next beat', async () => {
    await start();
    const now = await joinedAt('1.12', 'n');
    const old = await joinedAt('1.11', 'o');
    const sleeper = await joinedAt('1.12', 's');
    const said = await sleep(sleeper, 's');
    expect(said.type).toBe('ack');
    expect(typeof said.seq).toBe('number');
    const told = await statusOf(now, 's', 'asleep');
    const toldOld = await statusOf(old, 's', 'offline');
    expect(toldOld.seq).toBe(told.seq);
    expect(await statusIn(now, 's')).toBe('asleep');
    expect(await statusIn(old, 's')).toBe('offline');
    // Its link dies while it sleeps: it stays asleep, not "offline".
    await sleeper.close();
    await othersBeat(now, 3);
    await settle();
    expect(toldOf(now, 's')).toEqual([]);
    expect(await statusIn(now, 's')).toBe('asleep');
    // It wakes: its session resumes on a new link, and it beats.
    const woken = await helloAt('1.12', sleeper.token);
    expect(await beat(woken, 's')).toMatchObject({ type: 'heartbeat_ack' });
    await statusOf(now, 's', 'online');
    await statusOf(old, 's', 'online');
  });

  it('never beating again, it is removed at the peer timeout (10 s here)', async () => {
    await start();
    const now = await joinedAt('1.12', 'n');
    const sleeper = await joinedAt('1.12', 's');
    await sleep(sleeper, 's');
    await statusOf(now, 's', 'asleep');
    await othersBeat(now, 8);
    await settle();
    expect(now.received.some((f) => f.type === 'peer_left')).toBe(false);
    expect(toldOf(now, 's')).toEqual([]);
    expect(await statusIn(now, 's')).toBe('asleep');
    await othersBeat(now, 3);
    expect(await now.nextOfType('peer_left')).toMatchObject({ peer_id: 's', reason: 'timeout' });
  });

  it('a host asleep is handed over with host_migration two intervals on, as one whose link closed', async () => {
    ({ clock } = await startOn(backendOptions));
    const { c: sleeper } = await member('h', 'register', { host_migration: true });
    const now = await joinedAt('1.12', 'n');
    await sleep(sleeper, 'h');
    await statusOf(now, 'h', 'asleep');
    await clock.advance(1000);
    await beat(now, 'n');
    await settle();
    expect(now.received.some((f) => f.type === 'host_changed')).toBe(false);
    await clock.advance(1000);
    expect(await now.nextOfType('host_changed')).toMatchObject({
      host_id: 'n',
      reason: 'host_offline',
    });
  });

  it('said twice, by a stranger, or malformed: answered, and nobody told more', async () => {
    await start();
    const now = await joinedAt('1.12', 'n');
    const sleeper = await joinedAt('1.12', 's');
    await sleep(sleeper, 's');
    await statusOf(now, 's', 'asleep');
    // Asleep already: acked, with no event number (nothing was told).
    const again = await sleep(sleeper, 's');
    expect([again.type, again.seq]).toEqual(['ack', undefined]);
    const stranger = await helloAt('1.12');
    expect(await sleep(stranger, 'n')).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await sleep(stranger, 'x')).toMatchObject({ type: 'error' });
    const elsewhere = { type: 'going_to_sleep', party_id: 'party_none', peer_id: 'n' };
    expect(await stranger.request(elsewhere)).toMatchObject({ code: 'not_found' });
    const bad = await stranger.request({ type: 'going_to_sleep', party_id: P });
    expect(bad).toMatchObject({ type: 'error', code: 'bad_request' });
    await settle();
    expect(peerStatuses(now)).toEqual([]);
    expect(await statusIn(now, 'n')).toBe('online');
  });
});
