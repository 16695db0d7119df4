import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPartyStore } from '../../store/test-util/memory-store';
import { clockAt, peerDict, TestRig, type Frame, type RawClient } from '../../test-util/support';
import { TestIdentity } from '../test-util/identity';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const PARTY = 'party_identity';
let now = Date.UTC(2026, 0, 29, 12);

async function start(store = new MemoryPartyStore()) {
  return rig.start({ store, clock: clockAt(() => now), peerTimeoutMs: 60_000 });
}

async function register(c: RawClient, peerId: string) {
  return c.request({
    type: 'register_party',
    party_id: PARTY,
    name: 'P',
    host_peer: peerDict(peerId),
  });
}

describe('identity keys (issue 10)', () => {
  it('sends a challenge first on every connection, each with its own nonce and the server id', async () => {
    await start();
    const a = await (await rig.connect()).challenge;
    const b = await (await rig.connect()).challenge;
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.server_id).toBe(b.server_id);
  });

  it('refuses a hello whose signature is not over this connection’s nonce', async () => {
    await start();
    const me = new TestIdentity();
    const c = await rig.connect();
    const challenge = await c.challenge;
    const replayed = me.prove(String(challenge.server_id), 'A'.repeat(32));
    const answer = await c.request({
      type: 'hello',
      identity: { public_key: me.publicKey, signature: replayed },
    });
    expect(answer).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('refuses a signature made for another server', async () => {
    await start();
    const me = new TestIdentity();
    const c = await rig.connect();
    const challenge = await c.challenge;
    const signature = me.prove('another-server-id', String(challenge.nonce));
    const answer = await c.request({
      type: 'hello',
      identity: { public_key: me.publicKey, signature },
    });
    expect(answer).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('a squatter cannot take a key-bound id, even after the owner timed out of the party', async () => {
    await start();
    const owner = new TestIdentity();
    const first = await rig.connect();
    await owner.hello(first);
    expect((await register(first, 'alice')).type).toBe('party_update');
    await first.close();
    now += 10 * 60_000; // far past the peer timeout: swept, and its session ownership pruned
    rig.server!.context.service.sweep(new Date(now), 60_000);
    rig.server!.context.sessions.prune(rig.server!.context.service.memberIds(), 60_000);
    const squatter = await rig.connect();
    await squatter.hello();
    const stolen = await squatter.request({
      type: 'register_party',
      party_id: 'party_squatted',
      name: 'Mine',
      host_peer: peerDict('alice'),
    });
    expect(stolen).toMatchObject({ type: 'error', code: 'forbidden' });
    const otherKey = await rig.connect();
    await new TestIdentity().hello(otherKey);
    const alsoStolen = await otherKey.request({
      type: 'register_party',
      party_id: 'party_squatted',
      name: 'Mine',
      host_peer: peerDict('alice'),
    });
    expect(alsoStolen).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('the owner gets its id back without its session token (lost session file)', async () => {
    await start();
    const owner = new TestIdentity();
    const first = await rig.connect();
    await owner.hello(first);
    await register(first, 'alice');
    // The first connection is still open: the reclaim does not wait for it to time out.
    const again = await rig.connect();
    await owner.hello(again);
    const beat = await again.request({ type: 'heartbeat', party_id: PARTY, peer_id: 'alice' });
    expect(beat.type).toBe('heartbeat_ack');
  });

  it('the owner gets its id back under another URL of the same server', async () => {
    const server = await start();
    const owner = new TestIdentity();
    const first = await rig.connect(server.url);
    await owner.hello(first);
    await register(first, 'alice');
    const other = await rig.connect(server.url.replace('127.0.0.1', 'localhost'));
    await owner.hello(other);
    const update = await other.request({
      type: 'update_peer',
      party_id: PARTY,
      peer: peerDict('alice'),
    });
    expect(update.type).toBe('ack');
  });

  it('a session token alone does not take a keyed member: its messages, actions or presence', async () => {
    await start();
    const owner = new TestIdentity();
    const alice = await rig.connect();
    const token = String((await owner.hello(alice)).session_token);
    await register(alice, 'alice');
    const bob = await rig.connect();
    await new TestIdentity().hello(bob);
    const join = { type: 'join_party', party_id: PARTY, peer: peerDict('bob') };
    expect((await bob.request(join)).type).toBe('party_update');
    // Someone who read the token off a plain ws link says hello with it, and nothing else.
    const thief = await rig.connect();
    await thief.hello(token);
    const signal = { type: 'signal', party_id: PARTY, from_peer_id: 'bob', to_peer_id: 'alice' };
    expect((await bob.request({ ...signal, signal_data: { n: 1 } })).type).toBe('ack');
    expect(await alice.nextOfType('signal')).toMatchObject({ signal_data: { n: 1 } });
    const refused = await thief.request({ type: 'leave_party', party_id: PARTY, peer_id: 'alice' });
    expect(refused).toMatchObject({ type: 'error', code: 'forbidden' });

    const offline = (f: Frame) => f.type === 'peer_status' && f.peer_id === 'alice';
    await alice.close();
    expect(await bob.next(offline)).toMatchObject({ status: 'offline' });
    await (await rig.connect()).hello(token);
    // The owner's proof still brings it back, token or not: the next status Bob hears.
    const again = await rig.connect();
    await owner.hello(again, token);
    expect(await bob.next(offline)).toMatchObject({ status: 'online' });
    expect((await bob.request({ ...signal, signal_data: { n: 2 } })).type).toBe('ack');
    expect(await again.nextOfType('signal')).toMatchObject({ signal_data: { n: 2 } });
    expect(thief.received.filter((f) => f.type === 'signal')).toEqual([]);
  });

  it('a client without a key keeps working, bound to its session, as in 1.0', async () => {
    await start();
    const c = await rig.connect();
    const token = await c.hello();
    expect((await register(c, 'bob')).type).toBe('party_update');
    const resumed = await rig.connect();
    await resumed.hello(token);
    const beat = await resumed.request({ type: 'heartbeat', party_id: PARTY, peer_id: 'bob' });
    expect(beat.type).toBe('heartbeat_ack');
    const stranger = await rig.connect();
    await stranger.hello();
    const refused = await stranger.request({ type: 'heartbeat', party_id: PARTY, peer_id: 'bob' });
    expect(refused).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('keeps bindings across a restart (durable with the party)', async () => {
    const store = new MemoryPartyStore();
    await start(store);
    const owner = new TestIdentity();
    const first = await rig.connect();
    await owner.hello(first);
    await register(first, 'alice');
    await rig.cleanup();
    await start(store);
    const squatter = await rig.connect();
    await squatter.hello();
    const refused = await squatter.request({
      type: 'heartbeat',
      party_id: PARTY,
      peer_id: 'alice',
    });
    expect(refused).toMatchObject({ type: 'error', code: 'forbidden' });
    const back = await rig.connect();
    await owner.hello(back);
    expect(
      (await back.request({ type: 'heartbeat', party_id: PARTY, peer_id: 'alice' })).type,
    ).toBe('heartbeat_ack');
  });
});
