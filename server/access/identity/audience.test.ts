/**
 * Protocol 1.7's audience: a server that knows its own origins (an app's embedded server)
 * asks for them in its challenge and takes only identity proofs that name one, so a proof
 * a hostile server obtained by passing on this server's challenge is refused here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { peerDict, TestRig, type RawClient } from '../../test-util/support';
import { ownOrigins } from './audience';
import { TestIdentity } from '../test-util/identity';

const rig = new TestRig();
afterEach(() => rig.cleanup());

async function helloWith(c: RawClient, me: TestIdentity, audience?: string) {
  const challenge = await c.challenge;
  const signature = me.prove(String(challenge.server_id), String(challenge.nonce), audience);
  return c.request({
    type: 'hello',
    version: '1.7',
    identity: { public_key: me.publicKey, signature, ...(audience ? { audience } : {}) },
  });
}

describe('ownOrigins', () => {
  const mine = ownOrigins(
    () => 8668,
    'ws:',
    () => new Set(['127.0.0.1', '10.0.0.5', '::1']),
  );

  it('takes this machine’s addresses and localhost at its port', () => {
    for (const origin of [
      'ws://127.0.0.1:8668',
      'ws://10.0.0.5:8668',
      'ws://localhost:8668',
      'ws://[::1]:8668',
    ]) {
      expect(mine(origin), origin).toBe(true);
    }
  });

  it('refuses another address, another port, another scheme and anything not an origin', () => {
    for (const origin of [
      'ws://10.0.0.6:8668',
      'ws://127.0.0.2:8668',
      'ws://10.0.0.5:8669',
      'ws://10.0.0.5',
      'wss://10.0.0.5:8668',
      'ws://10.0.0.5:8668/ws',
      'ws://user@10.0.0.5:8668',
      'ws://evil.example:8668',
      '10.0.0.5:8668',
      '',
    ]) {
      expect(mine(origin), origin).toBe(false);
    }
  });
});

describe('a server with an audience check', () => {
  it('asks for the audience in its challenge; a server without one does not', async () => {
    await rig.start({ audience: () => true });
    expect((await (await rig.connect()).challenge).audience).toBe(true);
    await rig.cleanup();
    await rig.start();
    expect((await (await rig.connect()).challenge).audience).toBeUndefined();
  });

  it('takes a proof naming one of its origins, and refuses one naming another', async () => {
    const server = await rig.start({ audience: (a) => a === 'ws://127.0.0.1:1' });
    const me = new TestIdentity();
    expect(await helloWith(await rig.connect(), me, 'ws://127.0.0.1:1')).toMatchObject({
      type: 'welcome',
    });
    const relayed = await helloWith(await rig.connect(server.url), me, 'ws://10.0.0.66:8668');
    expect(relayed).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('takes a proof without an audience (an older app’s, or passed on) as no identity', async () => {
    await rig.start({ audience: (a) => a === 'ws://127.0.0.1:1' });
    const me = new TestIdentity();
    const first = await rig.connect();
    await helloWith(first, me, 'ws://127.0.0.1:1');
    const host = peerDict('pa');
    const party = { type: 'register_party', party_id: 'party_aud_01', name: 'P', host_peer: host };
    expect(await first.request(party)).toMatchObject({ type: 'party_update' });
    const older = await rig.connect();
    expect(await helloWith(older, me)).toMatchObject({ type: 'welcome' });
    // Said hello, but as a client without a key: the key's peer id is not this connection's.
    const beat = { type: 'heartbeat', party_id: 'party_aud_01', peer_id: 'pa' };
    expect(await older.request(beat)).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('refuses a signature over another audience than the one the hello names', async () => {
    await rig.start({ audience: () => true });
    const me = new TestIdentity();
    const c = await rig.connect();
    const challenge = await c.challenge;
    const signature = me.prove(String(challenge.server_id), String(challenge.nonce), 'ws://a:1');
    const answer = await c.request({
      type: 'hello',
      identity: { public_key: me.publicKey, signature, audience: 'ws://b:1' },
    });
    expect(answer).toMatchObject({ type: 'error', code: 'forbidden' });
  });

  it('a server without one takes 1.2 proofs, and refuses one with an audience it did not ask', async () => {
    await rig.start();
    const me = new TestIdentity();
    expect(await helloWith(await rig.connect(), me)).toMatchObject({ type: 'welcome' });
    // Another server's challenge, passed on to a client with `audience: true` added.
    const relayed = await helloWith(await rig.connect(), me, 'ws://10.0.0.66:8668');
    expect(relayed).toMatchObject({ type: 'error', code: 'forbidden' });
  });
});
