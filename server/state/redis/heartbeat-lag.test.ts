/**
 * Two server processes on one Redis with short intervals (`--heartbeat-interval 1
 * --peer-timeout 2`, within the CLI's bounds): a member beating on the server that does not
 * sweep stays online and in its party. The sweeping server sees those beats only as the other
 * server writes them, and it wrote them every 5 s whatever the interval: such a member went
 * offline and was removed as silent within 3 s while beating every second.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { delay, hostParty, peerDict } from '../../test-util/support';
import { RedisProcesses } from '../../test-util/redis-processes';

const FAST = ['--heartbeat-interval', '1', '--peer-timeout', '2', '--sweep-interval', '1'];
const rig = new RedisProcesses('lanrage-redis-lag-', FAST);

beforeEach(() => rig.start(), 20_000);
afterEach(async () => {
  await rig.cleanup();
});

it('a member beating on the server that does not sweep is neither offline nor removed', async () => {
  // The first server takes the sweep lock at start and keeps it.
  const sweeping = await rig.server('a');
  const other = await rig.server('b');
  const host = await rig.client(sweeping.url);
  await hostParty(host, 'party_p1', 'h');
  const guest = await rig.client(other.url);
  await guest.hello();
  const joined = await guest.request({
    type: 'join_party',
    party_id: 'party_p1',
    peer: peerDict('g'),
  });
  expect(joined.type).toBe('party_update');
  await host.nextOfType('peer_joined');
  // Both beat at the interval the servers announce, as the app does, for 8 intervals.
  for (let i = 0; i < 8; i++) {
    host.send({ type: 'heartbeat', party_id: 'party_p1', peer_id: 'h' });
    guest.send({ type: 'heartbeat', party_id: 'party_p1', peer_id: 'g' });
    await delay(1000);
  }
  const told = host.received.filter((f) => f.type === 'peer_status' || f.type === 'peer_left');
  expect(told).toEqual([]);
  const party = await guest.request({ type: 'get_party', party_id: 'party_p1' });
  expect(Object.keys((party.party as { peers: object }).peers).sort()).toEqual(['g', 'h']);
}, 40_000);
