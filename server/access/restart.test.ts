/**
 * Kept with the access state (issue 12), so a restart (embedded: the same SQLite folder) or
 * another server (Redis) forgets nothing: a kick notice, told once to a member kicked while its app
 * was closed; a join request waiting for the host, answered after the restart.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerOptions } from '../server';
import { BackendCases } from '../state/test-util/backend-cases';
import { peerDict, TestRig, type RawClient } from '../test-util/support';
import { eventually } from '../../shared/test-support/eventually';
import { TestIdentity } from './test-util/identity';

const backends = new BackendCases();
const rigs = [new TestRig(), new TestRig()];
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());
afterEach(async () => {
  for (const rig of rigs) await rig.cleanup();
});

const PARTY = 'party_kicks';

async function member(rig: TestRig, key: TestIdentity | null, peerId: string) {
  const c = await rig.connect();
  const welcome = key ? await key.hello(c) : { session_token: await c.hello() };
  const joined = await c.request({ type: 'join_party', party_id: PARTY, peer: peerDict(peerId) });
  expect(joined.type).toBe('party_update');
  await c.close();
  return String(welcome.session_token);
}

/** Comes back with its session (and key): the frames after the welcome. */
async function comeBack(rig: TestRig, key: TestIdentity | null, token: string) {
  const c: RawClient = await rig.connect();
  if (key) await key.hello(c, token);
  else await c.hello(token);
  // Told right after the welcome, if at all.
  await c.roundTrip();
  return c.received.filter((f) => f.type === 'kicked');
}

/** Waits until `rig`'s server holds kick notices of `holders` (another's come by pub/sub). */
async function noticesFor(rig: TestRig, holders: number, what: string): Promise<void> {
  const { notices } = rig.server!.context.access;
  await eventually(() => notices.rowKeys().length === holders, 5000, what);
}

describe.each(backends.cases)('access state across a restart (%s backend)', (name, opts) => {
  it('reach a member kicked while away, after a restart or through another server', async () => {
    const shared = randomUUID();
    const options = async (): Promise<Partial<ServerOptions>> => await opts(shared);
    await rigs[0]!.start(await options());
    // Redis: the member comes back through a second server running all along.
    if (name === 'redis') await rigs[1]!.start(await options());
    const host = await rigs[0]!.connect();
    await new TestIdentity().hello(host);
    const party = { type: 'register_party', party_id: PARTY, name: 'K', host_peer: peerDict('h') };
    expect((await host.request(party)).type).toBe('party_update');
    const key = new TestIdentity();
    const keyed = await member(rigs[0]!, key, 'k');
    const keyless = await member(rigs[0]!, null, 'n');
    for (const [peerId, ban] of [
      ['k', true],
      ['n', false],
    ] as const) {
      const kick = { type: 'kick_peer', party_id: PARTY, peer_id: peerId, ban };
      expect(await host.request(kick)).toMatchObject({ type: 'ack' });
    }
    if (name !== 'redis') {
      await rigs[0]!.cleanup();
      await rigs[1]!.start(await options());
    }
    // Both members' sessions' notices, and the key's.
    await noticesFor(rigs[1]!, 3, 'the kick notices on the server they come back to');
    const told = await comeBack(rigs[1]!, key, keyed);
    expect(told).toEqual([{ type: 'kicked', party_id: PARTY, banned: true }]);
    expect(await comeBack(rigs[1]!, null, keyless)).toEqual([
      { type: 'kicked', party_id: PARTY, banned: false },
    ]);
    // Told once: the notice went when it was read, on every server.
    if (name === 'redis') await noticesFor(rigs[0]!, 0, 'the notices gone on the first server');
    expect(await comeBack(rigs[1]!, key, keyed)).toEqual([]);
    if (name === 'redis') expect(await comeBack(rigs[0]!, null, keyless)).toEqual([]);
  });

  it('a join request made before a restart is answered after it', async () => {
    const shared = randomUUID();
    await rigs[0]!.start(await opts(shared));
    const [hostKey, guestKey] = [new TestIdentity(), new TestIdentity()];
    const host = await rigs[0]!.connect();
    await hostKey.hello(host);
    const party = { type: 'register_party', party_id: PARTY, name: 'K', host_peer: peerDict('h') };
    const settings = { join_policy: 'approval' };
    expect((await host.request({ ...party, settings })).type).toBe('party_update');
    const guest = await rigs[0]!.connect();
    const token = String((await guestKey.hello(guest)).session_token);
    const asked = await guest.request({ type: 'join_party', party_id: PARTY, peer: peerDict('g') });
    expect(asked).toMatchObject({ type: 'join_pending' });
    expect(await host.nextOfType('join_request')).toMatchObject({ peer_id: 'g' });
    await rigs[0]!.cleanup();
    await rigs[1]!.start(await opts(shared));
    const hostBack = await rigs[1]!.connect();
    await hostKey.hello(hostBack);
    const guestBack = await rigs[1]!.connect();
    await guestKey.hello(guestBack, token);
    const accept = { type: 'answer_join', party_id: PARTY, peer_id: 'g', accept: true };
    expect(await hostBack.request(accept)).toMatchObject({ type: 'ack' });
    const update = await guestBack.nextOfType('party_update');
    expect((update.party as { peers: Record<string, unknown> }).peers).toHaveProperty('g');
  });
});
