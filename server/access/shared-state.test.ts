/**
 * Access state behind the state seam (issues 10 and 12): identity key bindings, used party
 * ids, password hashes, invites and bans made on one server hold on another sharing its
 * state. Embedded: the same store after a restart. Redis: a second server running all along
 * (changes published to it), and a third started afterwards (state loaded from Redis).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerOptions } from '../server';
import { BackendCases } from '../state/test-util/backend-cases';
import { TestRig, peerDict, type RawClient } from '../test-util/support';
import { eventually } from '../../shared/test-support/eventually';
import { TestIdentity } from './test-util/identity';

const backends = new BackendCases();
const rigs = [new TestRig(), new TestRig(), new TestRig()];
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());
afterEach(async () => {
  for (const rig of rigs) await rig.cleanup();
});

const P1 = 'party_shared1';
const P2 = 'party_shared2';

async function keyed(rig: TestRig, key = new TestIdentity()): Promise<RawClient> {
  const c = await rig.connect();
  await key.hello(c);
  return c;
}

const join = (c: RawClient, peerId: string, extra: Record<string, unknown> = {}) =>
  c.request({ type: 'join_party', party_id: P1, peer: peerDict(peerId), ...extra });

/** On the first server: a password party with invites, a banned member, a closed party. */
async function makeState(rig: TestRig, bob: TestIdentity, carol: TestIdentity) {
  const host = await keyed(rig);
  const created = await host.request({
    type: 'register_party',
    party_id: P1,
    name: 'Shared',
    host_peer: peerDict('h'),
    settings: { join_policy: 'password', password: 'open sesame' },
  });
  expect(created.type).toBe('party_update');
  const invite = async () => {
    const answer = await host.request({ type: 'create_invite', party_id: P1, max_uses: 1 });
    expect(answer.type).toBe('invite_created');
    return answer as unknown as { token: string; invite_id: string };
  };
  const [kept, revoked] = [await invite(), await invite()];
  const revoke = { type: 'revoke_invite', party_id: P1, invite_id: revoked.invite_id };
  expect(await host.request(revoke)).toMatchObject({ type: 'ack' });
  const b = await keyed(rig, bob);
  expect(await join(b, 'b', { password: 'open sesame' })).toMatchObject({ type: 'party_update' });
  const c = await keyed(rig, carol);
  expect(await join(c, 'c', { password: 'open sesame' })).toMatchObject({ type: 'party_update' });
  const kick = { type: 'kick_peer', party_id: P1, peer_id: 'b', ban: true };
  expect(await host.request(kick)).toMatchObject({ type: 'ack' });
  const other = { type: 'register_party', party_id: P2, name: 'Gone', host_peer: peerDict('h') };
  expect(await host.request(other)).toMatchObject({ type: 'party_update' });
  expect(await host.request({ type: 'close_party', party_id: P2 })).toMatchObject({ type: 'ack' });
  return { kept: kept.token, revoked: revoked.token };
}

async function expectShared(
  rig: TestRig,
  [bob, carol]: TestIdentity[],
  tokens: Record<string, string>,
) {
  // The key binding: Carol's key alone, on a new connection, gets her peer id back.
  const back = await keyed(rig, carol);
  const beat = { type: 'heartbeat', party_id: P1, peer_id: 'c' };
  await eventually(
    async () => expect(await back.request(beat)).toMatchObject({ type: 'heartbeat_ack' }),
    3000,
    "Carol's key binding on this server",
    50,
  );
  // The ban holds his key, even under a new peer id and with a valid invite.
  const b = await keyed(rig, bob);
  await eventually(
    async () =>
      expect(await join(b, 'b2', { invite: tokens.kept })).toMatchObject({ code: 'banned' }),
    3000,
    "Bob's ban on this server",
    50,
  );
  // The password's hash.
  const erin = await keyed(rig);
  expect(await join(erin, 'e', { password: 'wrong' })).toMatchObject({ code: 'wrong_password' });
  expect(await join(erin, 'e', { password: 'open sesame' })).toMatchObject({
    type: 'party_update',
  });
  // Invites: the revoked one is refused, the kept one lets one person past the password.
  const dave = await keyed(rig);
  expect(await join(dave, 'd', { invite: tokens.revoked })).toMatchObject({
    code: 'invite_invalid',
  });
  expect(await join(dave, 'd', { invite: tokens.kept })).toMatchObject({ type: 'party_update' });
  // The closed party's id is not registered again by anyone else.
  const reuse = { type: 'register_party', party_id: P2, name: 'New', host_peer: peerDict('f') };
  expect(await (await keyed(rig)).request(reuse)).toMatchObject({ code: 'conflict' });
}

describe.each(backends.cases)('access state behind the state seam (%s backend)', (name, opts) => {
  it('bindings, bans, password hashes, invites and used ids hold on the next server', async () => {
    const shared = randomUUID();
    const [bob, carol] = [new TestIdentity(), new TestIdentity()];
    const options = async (): Promise<Partial<ServerOptions>> => await opts(shared);
    await rigs[0]!.start(await options());
    // Redis: the second server runs while the changes are made; embedded: a restart.
    if (name === 'redis') await rigs[1]!.start(await options());
    const tokens = await makeState(rigs[0]!, bob, carol);
    if (name !== 'redis') {
      await rigs[0]!.cleanup();
      await rigs[1]!.start(await options());
    }
    await expectShared(rigs[1]!, [bob, carol], tokens);
    if (name !== 'redis') return;
    // A server started afterwards loads the same from Redis.
    await rigs[2]!.start(await options());
    const late = await keyed(rigs[2]!, bob);
    expect(await join(late, 'b3', { invite: tokens.kept })).toMatchObject({ code: 'banned' });
  });
});
