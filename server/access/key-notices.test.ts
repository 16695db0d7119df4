/**
 * A kick notice kept by identity key reaches only a connection that proved the key. A session
 * token is any string a client chooses, so one spelling the key's notice holder
 * (`key:<public key>`) used to be handed the notice (a private party's id, the ban) and used
 * it up: the member, back with its key, was then told nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendCases, type BackendOptions } from '../state/test-util/backend-cases';
import { peerDict, TestRig, type RawClient } from '../test-util/support';
import { TestIdentity } from './test-util/identity';

const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());
let backend: BackendOptions = () => Promise.resolve({});

const rig = new TestRig();
afterEach(() => rig.cleanup());

const PARTY = 'secretparty01';

/** The kicked frames a connection got after its hello (told right after the welcome). */
async function kicksAfter(c: RawClient): Promise<Record<string, unknown>[]> {
  await c.roundTrip();
  return c.received.filter((f) => f.type === 'kicked');
}

/** A private invite-only party whose host banned `victim` while its app was closed. */
async function bannedWhileAway(victim: TestIdentity): Promise<void> {
  await rig.start(await backend(randomUUID()));
  const host = await rig.connect();
  await new TestIdentity().hello(host);
  const settings = { join_policy: 'invite_only', visibility: 'private' };
  const party = { type: 'register_party', party_id: PARTY, name: 'S', host_peer: peerDict('h') };
  expect(await host.request({ ...party, settings })).toMatchObject({ type: 'party_update' });
  const invite = await host.request({ type: 'create_invite', party_id: PARTY });
  const v = await rig.connect();
  await victim.hello(v);
  const join = { type: 'join_party', party_id: PARTY, peer: peerDict('v'), invite: invite.token };
  expect(await v.request(join)).toMatchObject({ type: 'party_update' });
  await v.close();
  const kick = { type: 'kick_peer', party_id: PARTY, peer_id: 'v', ban: true };
  expect(await host.request(kick)).toMatchObject({ type: 'ack' });
}

describe.each(backends.cases)('%s backend', (_name, options) => {
  beforeEach(() => {
    backend = options;
  });

  it("a session token spelling a key's notice holder gets nothing; the key's owner is told", async () => {
    const victim = new TestIdentity();
    await bannedWhileAway(victim);
    const stranger = await rig.connect();
    await stranger.hello(`key:${victim.publicKey}`);
    expect(await kicksAfter(stranger)).toEqual([]);
    // Back with its key only (its session token lost): the notice is still there for it.
    const back = await rig.connect();
    await victim.hello(back);
    expect(await kicksAfter(back)).toEqual([{ type: 'kicked', party_id: PARTY, banned: true }]);
  });
});
