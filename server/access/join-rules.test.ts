import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { BackendCases, type BackendOptions } from '../state/test-util/backend-cases';
import { clockAt, peerDict, TestRig, type RawClient } from '../test-util/support';
import { FREE_GUESSES } from './guess-throttle';

const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());
/** The backend of the suite running now (describe.each below). */
let backend: BackendOptions = () => Promise.resolve({});
const onBackend = async () => backend(randomUUID());

const rig = new TestRig();
afterEach(() => rig.cleanup());

const PARTY = 'party_rules';
let now = Date.UTC(2026, 0, 29, 12);

async function hosted(settings: Record<string, unknown>) {
  await rig.start({ ...(await onBackend()), clock: clockAt(() => now) });
  const host = await rig.connect();
  await host.hello();
  const answer = await host.request({
    type: 'register_party',
    party_id: PARTY,
    name: 'P',
    host_peer: peerDict('h'),
    settings,
  });
  expect(answer.type).toBe('party_update');
  return host;
}

async function joiner(address?: string): Promise<RawClient> {
  const c = await rig.connect(undefined, address);
  await c.hello();
  return c;
}

const join = (c: RawClient, peerId: string, extra: Record<string, unknown> = {}) =>
  c.request({ type: 'join_party', party_id: PARTY, peer: peerDict(peerId), ...extra });

describe.each(backends.cases)('%s backend', (_name, options) => {
  beforeEach(() => {
    backend = options;
  });

  describe('joining with a password (issue 10)', () => {
    it('asks for it, refuses a wrong one, lets the right one in; never sends it back', async () => {
      const host = await hosted({ join_policy: 'password', password: 'hunter2' });
      const g = await joiner();
      expect(await join(g, 'g')).toMatchObject({ type: 'error', code: 'password_required' });
      expect(await join(g, 'g', { password: 'hunter3' })).toMatchObject({
        type: 'error',
        code: 'wrong_password',
      });
      const joined = await join(g, 'g', { password: 'hunter2' });
      expect(joined.type).toBe('party_update');
      expect(joined.party).toMatchObject({ settings: { join_policy: 'password' } });
      const seen = JSON.stringify([joined, await host.nextOfType('peer_joined')]);
      expect(seen).not.toContain('hunter2');
    });

    it('throttles wrong guesses per peer and per address; another address may still try', async () => {
      await hosted({ join_policy: 'password', password: 'right' });
      const guesser = await joiner();
      for (let i = 0; i < FREE_GUESSES; i++) {
        expect((await join(guesser, `g${i}`, { password: `wrong${i}` })).code).toBe(
          'wrong_password',
        );
      }
      const throttled = await join(guesser, 'g9', { password: 'right' });
      // The wait is data too (additive), so the app can count it down: 30 s per guess.
      expect(throttled).toMatchObject({ type: 'error', code: 'rate_limited', retry_after_s: 30 });
      now += 12_000;
      const later = await join(guesser, 'g9', { password: 'right' });
      expect(later).toMatchObject({ code: 'rate_limited', retry_after_s: 18 });
      expect(later.message).toMatch(/try again in 18 s/);
      const elsewhere = await joiner('127.0.0.2');
      expect((await join(elsewhere, 'other', { password: 'right' })).type).toBe('party_update');
      now += 19_000;
      expect((await join(guesser, 'g9', { password: 'right' })).type).toBe('party_update');
    });
  });

  it('judges no more than the free guesses of a burst sent at once; the right one after them waits', async () => {
    await hosted({ join_policy: 'password', password: 'right' });
    const guesser = await joiner();
    const burst = Array.from({ length: 3 * FREE_GUESSES }, (_, i) =>
      join(guesser, `b${i}`, { password: `wrong${i}` }),
    );
    const late = join(guesser, 'late', { password: 'right' });
    const codes = (await Promise.all(burst)).map((a) => a.code);
    expect(codes.filter((c) => c === 'wrong_password')).toHaveLength(FREE_GUESSES);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(2 * FREE_GUESSES);
    expect(await late).toMatchObject({ type: 'error', code: 'rate_limited' });
  });

  describe('limits and locks', () => {
    it('refuses the member past max_peers with party_full, an invite too', async () => {
      const host = await hosted({ max_peers: 2 });
      expect((await join(await joiner(), 'a')).type).toBe('party_update');
      const invite = await host.request({ type: 'create_invite', party_id: PARTY });
      const late = await joiner();
      expect(await join(late, 'b', { invite: invite.token })).toMatchObject({ code: 'party_full' });
    });

    it('refuses everyone new while locked, invites included; members may rejoin', async () => {
      const host = await hosted({});
      const a = await joiner();
      await join(a, 'a');
      const invite = await host.request({ type: 'create_invite', party_id: PARTY });
      expect(
        (await host.request({ type: 'update_party', party_id: PARTY, settings: { locked: true } }))
          .type,
      ).toBe('party_update');
      // Members are told: a fresh snapshot with the new settings.
      const told = await a.next((f) => f.type === 'party_update');
      expect(told.party).toMatchObject({ settings: { locked: true } });
      expect(await join(await joiner(), 'b')).toMatchObject({ code: 'locked' });
      expect(await join(await joiner(), 'c', { invite: invite.token })).toMatchObject({
        code: 'locked',
      });
      expect((await join(a, 'a')).type).toBe('party_update');
    });

    it('only the host may change the settings', async () => {
      await hosted({});
      const a = await joiner();
      await join(a, 'a');
      const refused = await a.request({
        type: 'update_party',
        party_id: PARTY,
        settings: { locked: true },
      });
      expect(refused).toMatchObject({ type: 'error', code: 'forbidden' });
    });
  });

  describe('invites', () => {
    it('let their holder past invite-only and a password', async () => {
      const host = await hosted({ join_policy: 'invite_only' });
      // No invite at all: nothing expired, and the refusal says so.
      expect(await join(await joiner(), 'x')).toMatchObject({
        code: 'invite_invalid',
        message: expect.stringMatching(
          /^This party only lets in people with an invite link: /,
        ) as string,
      });
      const invite = await host.request({ type: 'create_invite', party_id: PARTY, max_uses: 2 });
      expect(String(invite.token).length).toBeGreaterThanOrEqual(26);
      expect((await join(await joiner(), 'a', { invite: invite.token })).type).toBe('party_update');
      await host.request({
        type: 'update_party',
        party_id: PARTY,
        settings: { join_policy: 'password', password: 'pw' },
      });
      expect((await join(await joiner(), 'b', { invite: invite.token })).type).toBe('party_update');
    });

    it('refuses a used-up, an expired and a revoked invite', async () => {
      const host = await hosted({ join_policy: 'invite_only' });
      const once = await host.request({ type: 'create_invite', party_id: PARTY, max_uses: 1 });
      expect((await join(await joiner(), 'a', { invite: once.token })).type).toBe('party_update');
      expect(await join(await joiner(), 'b', { invite: once.token })).toMatchObject({
        code: 'invite_invalid',
        message: expect.stringContaining(
          'that invite has expired, been used up or been revoked',
        ) as string,
      });
      const short = await host.request({
        type: 'create_invite',
        party_id: PARTY,
        expires_in_s: 60,
      });
      now += 61_000;
      expect(await join(await joiner(), 'c', { invite: short.token })).toMatchObject({
        code: 'invite_invalid',
      });
      const revoked = await host.request({ type: 'create_invite', party_id: PARTY });
      const listed = await host.request({ type: 'list_invites', party_id: PARTY });
      expect((listed.invites as { token: string }[]).map((i) => i.token)).toEqual([revoked.token]);
      await host.request({ type: 'revoke_invite', party_id: PARTY, invite_id: revoked.invite_id });
      expect(await join(await joiner(), 'd', { invite: revoked.token })).toMatchObject({
        code: 'invite_invalid',
      });
    });

    it('are the host’s: a member cannot create or list them', async () => {
      await hosted({});
      const a = await joiner();
      await join(a, 'a');
      expect(await a.request({ type: 'create_invite', party_id: PARTY })).toMatchObject({
        code: 'forbidden',
      });
      expect(await a.request({ type: 'list_invites', party_id: PARTY })).toMatchObject({
        code: 'forbidden',
      });
    });
  });
});
