import { afterEach, describe, expect, it } from 'vitest';
import { NO_QUOTAS } from '../../admission/quotas';
import { peerDict, TestRig, type RawClient } from '../../test-util/support';
import { TestIdentity } from '../test-util/identity';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const PARTY = 'party_many_ids';

async function keyed(address: string): Promise<RawClient> {
  const c = await rig.connect(undefined, address);
  expect((await new TestIdentity().hello(c)).type).toBe('welcome');
  return c;
}

const join = (c: RawClient, peerId: string) =>
  c.request({ type: 'join_party', party_id: PARTY, peer: peerDict(peerId) });

describe('new peer ids bound to a key, per address per minute', () => {
  it('refuses the id past the quota; ids already bound, keyless ones and other addresses pass', async () => {
    await rig.start({ quotas: { ...NO_QUOTAS, peerIdsPerMinute: 3 } });
    const host = await rig.connect();
    await host.hello();
    const created = await host.request({
      type: 'register_party',
      party_id: PARTY,
      name: 'P',
      host_peer: peerDict('h'),
    });
    expect(created.type).toBe('party_update');

    const attacker = await keyed('127.0.0.2');
    for (const id of ['a1', 'a2', 'a3'])
      expect((await join(attacker, id)).type).toBe('party_update');
    expect(await join(attacker, 'a4')).toMatchObject({
      type: 'error',
      code: 'quota_exceeded',
      message: expect.stringMatching(/Too many new player ids from your address/) as string,
    });
    // Nothing was bound or joined for it: another key may still take a4 elsewhere.
    const other = await keyed('127.0.0.3');
    expect((await join(other, 'a4')).type).toBe('party_update');
    // An id the key already holds costs nothing; a keyless client binds none.
    expect((await join(attacker, 'a1')).type).toBe('party_update');
    const keyless = await rig.connect(undefined, '127.0.0.2');
    await keyless.hello();
    expect((await join(keyless, 'z1')).type).toBe('party_update');
  });
});
