/**
 * Two servers on one Redis (issue 12): what access control decides holds across them. An
 * invite's last use and a new peer id's key binding are won by exactly one of two servers
 * deciding at once; a join waiting for approval is answered by a host on the other server;
 * wrong password guesses count on every server.
 */
import { describe, expect, it } from 'vitest';
import { TestIdentity } from '../access/test-util/identity';
import { FREE_GUESSES } from '../access/guess-throttle';
import { APPROVAL_TIMEOUT_MS } from '../access/approvals';
import type { TestRig } from '../test-util/support';
import { clockAt, delay, peerDict, type Frame, type RawClient } from '../test-util/support';
import { eventually } from '../../shared/test-support/eventually';
import type { ServerOptions } from '../server';
import type { RunningServer } from '../server-core';
import { AccessKind, type AccessRow } from '../access/records';
import { StoreConflict } from '../store/store';
import type { RedisPartyStore } from './redis/store';
import { twoServersOnRedis } from './test-util/backend-cases';

const { backends, rigA, rigB } = twoServersOnRedis();

const PARTY = 'party_door';
let shared = 0;

/** Two servers on one prefix; A runs the sweeps (it took the lock first). */
async function twoServers(options: Partial<ServerOptions> = {}) {
  const name = `access${++shared}`;
  const a = await rigA.start({ ...options, backend: await backends.redisBackend(name) });
  const b = await rigB.start({ ...options, backend: await backends.redisBackend(name) });
  return [a, b] as const;
}

async function client(rig: TestRig, identity?: TestIdentity): Promise<RawClient> {
  const c = await rig.connect();
  if (identity) await identity.hello(c);
  else await c.hello();
  return c;
}

async function host(rig: TestRig, settings: Record<string, unknown> = {}): Promise<RawClient> {
  const h = await client(rig, new TestIdentity());
  const created = await h.request({
    type: 'register_party',
    party_id: PARTY,
    name: 'Door',
    host_peer: peerDict('h'),
    settings,
  });
  expect(created.type).toBe('party_update');
  return h;
}

const join = (c: RawClient, peerId: string, extra: Record<string, unknown> = {}) =>
  c.request({ type: 'join_party', party_id: PARTY, peer: peerDict(peerId), ...extra }, 10_000);

/** Waits (bounded) until `check` holds on the server, as a published change arrives. */
const until = (check: () => boolean, what: string): Promise<void> => eventually(check, 2000, what);

/**
 * B is started deaf (it never hears the published changes), so it decides on its copy as
 * loaded, as a server does before a change made at the same moment reaches it: only the
 * commit's check and what it reads back can stop it.
 */
async function withDeafB(name: string): Promise<RunningServer> {
  const deaf = await backends.redisBackend(name);
  return rigB.start({ backend: { ...deaf, follow: () => Promise.resolve() } });
}

const outcomes = (answers: Frame[]) =>
  answers.map((f) => (typeof f.code === 'string' ? f.code : f.type)).sort();

describe('access control across two servers on one Redis', () => {
  it("an invite's last use is won by one of two servers admitting at once", async () => {
    const [, b] = await twoServers();
    const h = await host(rigA, { join_policy: 'password', password: 'secret words' });
    for (let round = 0; round < 3; round++) {
      const made = await h.request({ type: 'create_invite', party_id: PARTY, max_uses: 1 });
      const token = String(made.token);
      await until(() => b.context.access.invites.isValid(PARTY, token), 'B knows the invite');
      const [x, y] = [await client(rigA), await client(rigB)];
      const answers = await Promise.all([
        join(x, `x${round}`, { invite: token }),
        join(y, `y${round}`, { invite: token }),
      ]);
      // The loser gets what a used-up invite gives.
      expect(outcomes(answers)).toEqual(['invite_invalid', 'party_update']);
    }
    expect(b.context.service.parties.get(PARTY)!.peers.size).toBe(1 + 3);
  });

  it('a join refused by the commit counts no use of its invite', async () => {
    await rigA.start({ backend: await backends.redisBackend('invite') });
    const h = await host(rigA, { join_policy: 'password', password: 'secret words' });
    const made = await h.request({ type: 'create_invite', party_id: PARTY, max_uses: 2 });
    const token = String(made.token);
    const b = await withDeafB('invite');
    // The party moves on A (a join by password) before B hears of it.
    const x = await client(rigA);
    expect(await join(x, 'x', { password: 'secret words' })).toMatchObject({
      type: 'party_update',
    });
    // B's join on the invite is refused by the commit and decided again: one use counted.
    expect(await join(await client(rigB), 'y', { invite: token })).toMatchObject({
      type: 'party_update',
    });
    expect(await join(await client(rigB), 'z', { invite: token })).toMatchObject({
      type: 'party_update',
    });
    expect(await join(await client(rigB), 'w', { invite: token })).toMatchObject({
      code: 'invite_invalid',
    });
    expect(b.context.service.parties.get(PARTY)!.peers.size).toBe(4);
  });

  it('a new peer id bound to two keys at once: one wins, the other is refused forbidden', async () => {
    const a = await rigA.start({ backend: await backends.redisBackend('bind') });
    await host(rigA);
    const other = await client(rigA, new TestIdentity());
    const second = { type: 'register_party', party_id: 'party_two', name: 'Two' };
    expect(await other.request({ ...second, host_peer: peerDict('o') })).toMatchObject({
      type: 'party_update',
    });
    const b = await withDeafB('bind');
    const [one, two] = [new TestIdentity(), new TestIdentity()];
    const [x, y] = [await client(rigA, one), await client(rigB, two)];
    // One id, two keys, two parties (so the parties' versions do not collide).
    const answers = await Promise.all([
      join(x, 'twin'),
      y.request({ type: 'join_party', party_id: 'party_two', peer: peerDict('twin') }, 10_000),
    ]);
    expect(outcomes(answers)).toEqual(['forbidden', 'party_update']);
    const winner = answers[0].type === 'party_update' ? one : two;
    for (const s of [a, b]) expect(s.context.access.bindings.keyOf('twin')).toBe(winner.publicKey);
    // The binding holds: the winner's key gets the id back on either server.
    const back = await client(rigB, winner);
    const partyId = winner === one ? PARTY : 'party_two';
    const beat = { type: 'heartbeat', party_id: partyId, peer_id: 'twin' };
    expect(await back.request(beat)).toMatchObject({ type: 'heartbeat_ack' });
  });

  it('the commit refuses an access row changed since it was read', async () => {
    const backend = await backends.redisBackend('rows');
    const store = backend.store as RedisPartyStore;
    const row = { kind: AccessKind.INVITE, key: 'tok', value: '{"uses":1}', base: null };
    const commit = (access: AccessRow[]) => store.commit({ parties: [], owners: [], access });
    await commit([row]);
    await expect(commit([row])).rejects.toBeInstanceOf(StoreConflict);
    await commit([{ ...row, value: '{"uses":2}', base: '{"uses":1}' }]);
    await expect(commit([{ ...row, value: null, base: '{"uses":1}' }])).rejects.toThrow(/another/);
    // Rows of one batch count in order.
    await commit([
      { ...row, value: null, base: '{"uses":2}' },
      { ...row, value: '{"uses":0}', base: null },
    ]);
    expect((await store.accessOf([row])).rows).toMatchObject([{ value: '{"uses":0}' }]);
    await backend.close();
    await store.close();
  });

  it('a join waiting on one server is approved by the host on the other', async () => {
    await twoServers();
    const h = await host(rigB, { join_policy: 'approval' });
    const g = await client(rigA, new TestIdentity());
    expect(await join(g, 'g')).toMatchObject({ type: 'join_pending', party_id: PARTY });
    expect(await h.nextOfType('join_request')).toMatchObject({ peer_id: 'g' });
    const answer = { type: 'answer_join', party_id: PARTY, peer_id: 'g', accept: true };
    expect(await h.request(answer)).toMatchObject({ type: 'ack' });
    const update = await g.nextOfType('party_update');
    expect((update.party as { peers: Record<string, unknown> }).peers).toHaveProperty('g');
    expect(await h.nextOfType('peer_joined')).toMatchObject({ peer: { peer_id: 'g' } });
    // Taken once: the same request cannot be answered again from either server.
    expect(await h.request(answer)).toMatchObject({ code: 'not_found' });
  });

  it('a joiner whose app closed on one server is let in offline by the host on the other', async () => {
    const [, b] = await twoServers();
    const h = await host(rigB, { join_policy: 'approval' });
    const g = await client(rigA);
    expect(await join(g, 'g')).toMatchObject({ type: 'join_pending' });
    expect(await h.nextOfType('join_request')).toMatchObject({ peer_id: 'g' });
    g.ws.close();
    const approvals = b.context.access.approvals;
    await until(() => approvals.get(PARTY, 'g')?.goneAt !== undefined, 'B hears g is gone');
    // The host, on the other server, sees the request again, away.
    expect(await h.nextOfType('join_request')).toMatchObject({ peer_id: 'g', away: true });
    const answer = { type: 'answer_join', party_id: PARTY, peer_id: 'g', accept: true };
    expect(await h.request(answer)).toMatchObject({ type: 'ack' });
    const status = await h.next((f) => f.type === 'peer_status' && f.peer_id === 'g');
    expect(status).toMatchObject({ status: 'offline' });
  });

  it('a denial, a cancel and an expiry reach the side on the other server', async () => {
    let now = Date.UTC(2026, 0, 29, 12);
    await twoServers({ clock: clockAt(() => now), approvalCheckMs: 20 });
    const h = await host(rigB, { join_policy: 'approval' });
    const [d, c, e] = [await client(rigA), await client(rigA), await client(rigA)];
    for (const [who, id] of [
      [d, 'd'],
      [c, 'c'],
      [e, 'e'],
    ] as const) {
      expect(await join(who, id)).toMatchObject({ type: 'join_pending' });
      expect(await h.nextOfType('join_request')).toMatchObject({ peer_id: id });
    }
    const deny = { type: 'answer_join', party_id: PARTY, peer_id: 'd', accept: false };
    expect(await h.request(deny)).toMatchObject({ type: 'ack' });
    expect(await d.nextOfType('error')).toMatchObject({ code: 'rejected', party_id: PARTY });
    const cancel = { type: 'cancel_join', party_id: PARTY, peer_id: 'c' };
    expect(await c.request(cancel)).toMatchObject({ type: 'ack' });
    const closed = (peerId: string) => (f: Frame) =>
      f.type === 'join_request_closed' && f.peer_id === peerId;
    expect(await h.next(closed('c'))).toMatchObject({ reason: 'cancelled' });
    now += APPROVAL_TIMEOUT_MS + 1000;
    expect(await e.nextOfType('error')).toMatchObject({ code: 'join_expired', party_id: PARTY });
    expect(await h.next(closed('e'))).toMatchObject({ reason: 'expired' });
    // Told once: only the server running the sweeps expired it.
    await delay(200);
    expect(e.received.filter((f) => f.code === 'join_expired')).toEqual([]);
  });

  it('wrong password guesses count on every server: switching does not start again', async () => {
    await twoServers();
    await host(rigA, { join_policy: 'password', password: 'secret words' });
    const wrong = { password: 'not it' };
    const onB = await client(rigB);
    for (let i = 0; i < FREE_GUESSES; i++) {
      expect(await join(onB, 'guesser', wrong)).toMatchObject({ code: 'wrong_password' });
    }
    expect(await join(onB, 'guesser', wrong)).toMatchObject({ code: 'rate_limited' });
    // On the other server: the same peer from another address, another peer from the same.
    const samePeer = await rigA.connect(undefined, '127.0.0.2');
    await samePeer.hello();
    expect(await join(samePeer, 'guesser', wrong)).toMatchObject({ code: 'rate_limited' });
    const sameAddress = await client(rigA);
    expect(await join(sameAddress, 'other', wrong)).toMatchObject({ code: 'rate_limited' });
    // Anyone else may still guess there.
    const fresh = await rigA.connect(undefined, '127.0.0.3');
    await fresh.hello();
    expect(await join(fresh, 'fresh', wrong)).toMatchObject({ code: 'wrong_password' });
  });
});
