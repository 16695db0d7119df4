import { afterEach, beforeEach, expect, it } from 'vitest';
import { TestRig, guestJoins, hostParty, peerDict } from '../test-util/support';

const rig = new TestRig();
beforeEach(() => rig.start());
afterEach(() => rig.cleanup());

it('a party id typed in capitals finds the party (ids are matched case-insensitively)', async () => {
  const host = await rig.connect();
  await hostParty(host, 'party_abc123', 'peer123');
  const { guest, answer } = await guestJoins(rig, 'PARTY_ABC123', 'peer456');
  expect(answer).toMatchObject({ type: 'party_update', party: { party_id: 'party_abc123' } });
  expect(await host.nextOfType('peer_joined')).toMatchObject({ party_id: 'party_abc123' });
  const beat = await guest.request({
    type: 'heartbeat',
    party_id: 'Party_Abc123',
    peer_id: 'peer456',
  });
  expect(beat.type).not.toBe('error');
});

it('a party registered with capitals (another client) is stored under its canonical id', async () => {
  const host = await rig.connect();
  await hostParty(host, 'Party_Mixed', 'peer123');
  const guest = await rig.connect();
  await guest.hello();
  const answer = await guest.request({
    type: 'join_party',
    party_id: 'party_mixed',
    peer: peerDict('peer456'),
  });
  expect(answer).toMatchObject({ type: 'party_update', party: { party_id: 'party_mixed' } });
});

it('the host hands over and closes a party named in capitals (every request folds the id)', async () => {
  const host = await rig.connect();
  await hostParty(host, 'party_abc123', 'peer123');
  const { guest } = await guestJoins(rig, 'party_abc123', 'peer456');
  const handed = await host.request({
    type: 'transfer_host',
    party_id: 'PARTY_ABC123',
    to_peer_id: 'peer456',
  });
  expect(handed).toMatchObject({ type: 'ack' });
  const closed = await guest.request({ type: 'close_party', party_id: 'Party_Abc123' });
  expect(closed).toMatchObject({ type: 'ack' });
});
