import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { clockAt, guestJoins, hostParty, TestRig } from '../test-util/support';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const NOW_MS = Date.UTC(2026, 11, 5, 22, 0, 0);
const RELAY = {
  urls: ['turn:relay.example.org:3478'],
  secret: 'shared-with-coturn',
  ttlSeconds: 600,
};

describe('get_relay', () => {
  it('gives a member credentials in its own name that the relay can check with the secret', async () => {
    await rig.start({ relay: RELAY, clock: clockAt(() => NOW_MS) });
    await hostParty(await rig.connect(), 'party_relay1', 'host1');
    const { guest } = await guestJoins(rig, 'party_relay1', 'guest1');
    const answer = await guest.request({ type: 'get_relay', party_id: 'party_relay1' });
    const username = `${NOW_MS / 1000 + 600}:guest1`;
    const credential = createHmac('sha1', RELAY.secret).update(username).digest('base64');
    expect(answer).toEqual({
      type: 'relay',
      party_id: 'party_relay1',
      ice_servers: [{ urls: RELAY.urls, username, credential }],
      ttl: 600,
      request_id: expect.any(String) as string,
    });
  });

  it('tells a stranger the party is not found, as for a party that does not exist', async () => {
    await rig.start({ relay: RELAY });
    await hostParty(await rig.connect(), 'party_relay2', 'host2');
    const stranger = await rig.connect();
    await stranger.hello();
    const known = await stranger.request({ type: 'get_relay', party_id: 'party_relay2' });
    const unknown = await stranger.request({ type: 'get_relay', party_id: 'party_nosuch' });
    expect(known).toMatchObject({ type: 'error', code: 'not_found', message: 'Party not found' });
    expect(unknown).toMatchObject({ type: 'error', code: 'not_found', message: 'Party not found' });
  });

  it('names no relay where the operator set none', async () => {
    await rig.start();
    const host = await rig.connect();
    await hostParty(host, 'party_relay3', 'host3');
    const answer = await host.request({ type: 'get_relay', party_id: 'party_relay3' });
    expect(answer).toMatchObject({ type: 'relay', party_id: 'party_relay3', ice_servers: [] });
  });
});
