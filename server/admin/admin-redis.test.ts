/**
 * The operator's API on two servers sharing one Redis: either lists every party, and a
 * party ended through one is closed for members connected to the other.
 */
import { describe, expect, it } from 'vitest';
import { TestIdentity } from '../access/test-util/identity';
import { twoServersOnRedis } from '../state/test-util/backend-cases';
import { ADMIN_TEST_TOKEN as TOKEN, adminRequest } from '../test-util/admin-request';
import { delay, hostParty, peerDict } from '../test-util/support';

const { backends, rigA, rigB } = twoServersOnRedis();

describe('moderation on two servers sharing Redis', () => {
  it('a party ended on one server is closed for a member connected to the other', async () => {
    const a = await rigA.start({ adminToken: TOKEN, backend: await backends.redisBackend('m') });
    const b = await rigB.start({ adminToken: TOKEN, backend: await backends.redisBackend('m') });
    const host = await rigB.connect();
    await hostParty(host, 'party_rd1', 'h');
    const member = await rigB.connect();
    await member.hello();
    await member.request({ type: 'join_party', party_id: 'party_rd1', peer: peerDict('m') });
    const elsewhere = await rigA.connect();
    await hostParty(elsewhere, 'party_rd2', 'x');

    // Each server lists both: the one made on it and the one made on the other (which it
    // hears of over pub/sub, a moment after that server answered).
    for (const port of [a.port, b.port]) {
      let ids: string[] = [];
      for (let i = 0; i < 40 && ids.length < 2; i++) {
        if (i > 0) await delay(50);
        const listed = await adminRequest(port, 'GET', '/admin/parties', TOKEN);
        ids = (JSON.parse(listed.body) as Array<{ party_id: string }>).map((p) => p.party_id);
      }
      expect(ids.sort()).toEqual(['party_rd1', 'party_rd2']);
    }

    const ended = await adminRequest(a.port, 'POST', '/admin/parties/party_rd1/end', TOKEN);
    expect(ended.status).toBe(200);
    for (const client of [member, host]) {
      expect(await client.nextOfType('party_closed', 3000)).toMatchObject({
        party_id: 'party_rd1',
        reason: 'ended_by_server',
      });
    }
    expect(await member.request({ type: 'list_parties' })).toMatchObject({ parties: [] });
    expect(b.context.service.parties.has('party_rd1')).toBe(false);
    const again = await adminRequest(b.port, 'POST', '/admin/parties/party_rd1/end', TOKEN);
    expect(again.status).toBe(404);
  });

  it('a party ended on one server cannot be registered again by its host on the other', async () => {
    const a = await rigA.start({ adminToken: TOKEN, backend: await backends.redisBackend('r') });
    await rigB.start({ adminToken: TOKEN, backend: await backends.redisBackend('r') });
    const key = new TestIdentity();
    const register = async (host: Awaited<ReturnType<typeof rigA.connect>>) => {
      await key.hello(host);
      const host_peer = peerDict('h');
      return host.request({ type: 'register_party', party_id: 'party_rd3', name: 'S', host_peer });
    };
    const first = await rigA.connect();
    expect((await register(first)).type).toBe('party_update');
    await first.close();
    expect((await adminRequest(a.port, 'POST', '/admin/parties/party_rd3/end', TOKEN)).status).toBe(
      200,
    );
    expect(await register(await rigB.connect())).toMatchObject({ type: 'error', code: 'conflict' });
  });
});
