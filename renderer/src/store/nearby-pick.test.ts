import { describe, expect, it } from 'vitest';
import type { DiscoveredParty } from '../../../shared/ipc/app-state';
import { nearbyPick } from './nearby-pick';

const PIN = 'A'.repeat(43);

function lanParty(changes: Partial<DiscoveredParty> = {}): DiscoveredParty {
  return {
    party_id: 'ABCD1234',
    name: 'Friday frags',
    host_name: 'Alice',
    peer_count: 3,
    max_peers: 8,
    join_policy: 'password',
    online_count: 2,
    created_at: null,
    where: 'lan',
    address: '192.168.1.20',
    contested: false,
    host_pin: PIN,
    ...changes,
  };
}

describe('nearbyPick', () => {
  it('shows a LAN party as listed: its name, host, count, address and join policy', () => {
    const pick = nearbyPick(lanParty());
    expect(pick.where).toBe('on your network at 192.168.1.20');
    expect(pick.joinPolicy).toBe('password');
    expect(pick.preview).toMatchObject({
      party_id: 'ABCD1234',
      name: 'Friday frags',
      host_name: 'Alice',
      peer_count: 3,
    });
  });

  it('joins the PC that was listed: the host pin goes into the preview', () => {
    expect(nearbyPick(lanParty()).preview.host_pin).toBe(PIN);
    expect(nearbyPick(lanParty({ host_pin: null })).preview.host_pin).toBeNull();
  });

  it('says where a party without an address is, and one on this PC', () => {
    expect(nearbyPick(lanParty({ address: null })).where).toBe(
      'on your network at an unknown address',
    );
    expect(nearbyPick(lanParty({ where: 'this_pc', address: null })).where).toBe('on this PC');
  });

  it('keeps a policy that was not told as not told', () => {
    expect(nearbyPick(lanParty({ join_policy: null })).joinPolicy).toBeNull();
  });
});
