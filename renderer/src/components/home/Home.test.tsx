// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveredParty } from '../../../../shared/ipc/app-state';
import { fakeApi, makeState, makeStatus } from '../../test-util/fixtures';
import { actAsync, renderWithStore } from '../../test-util/render';
import { Home } from './Home';

afterEach(cleanup);

const nearby = (changes: Partial<DiscoveredParty>): DiscoveredParty => ({
  party_id: 'party_lan',
  name: 'Two Seats',
  host_name: 'Bob',
  peer_count: 2,
  max_peers: 2,
  join_policy: null,
  online_count: 2,
  created_at: null,
  where: 'lan',
  address: '192.168.1.20',
  contested: false,
  host_pin: null,
  ...changes,
});

async function showNearby(parties: DiscoveredParty[]) {
  const status = makeStatus({ state: 'local', serverUrl: null });
  const view = renderWithStore(<Home />, makeState({ discovered: parties, status }), fakeApi().api);
  await actAsync(() => undefined);
  return view;
}

const rowOf = (id: string) =>
  screen.getAllByTestId('discovered-party').find((r) => r.dataset.partyId === id)!;

describe('Parties nearby: LAN discovery blocked', () => {
  it('says LANrage cannot search the network while its sends fail, and not otherwise', async () => {
    const status = makeStatus({ state: 'local', serverUrl: null, lanBlocked: true });
    renderWithStore(<Home />, makeState({ discovered: [], status }), fakeApi().api);
    await actAsync(() => undefined);
    expect(screen.getByTestId('discovered-blocked').textContent).toMatch(
      /^LANrage cannot search your network \(a firewall blocks multicast, UDP 5353/,
    );
    cleanup();
    await showNearby([]);
    expect(screen.queryByTestId('discovered-blocked')).toBeNull();
  });
});

describe('Parties nearby: parties sharing a name and host name', () => {
  it('marks each of them to check the address, and no other row', async () => {
    await showNearby([
      nearby({ party_id: 'party_real', name: 'Friday Frag', host_name: 'Alice', max_peers: 8 }),
      nearby({ party_id: 'party_fake', name: 'Friday Frag', host_name: 'Alice', max_peers: 8 }),
      nearby({ party_id: 'party_other', name: 'Friday Frag', host_name: 'Bob', max_peers: 8 }),
    ]);
    const twins = (id: string) =>
      within(rowOf(id)).queryByTestId('discovered-twins')?.textContent ?? null;
    const said = '2 parties called Friday Frag by Alice: check the address with your host';
    expect(twins('party_real')).toBe(said);
    expect(twins('party_fake')).toBe(said);
    expect(twins('party_other')).toBeNull();
  });
});

describe('Parties nearby: a full party', () => {
  it('reads full, and its Join is disabled and says why', async () => {
    const { store } = await showNearby([nearby({})]);
    const row = rowOf('party_lan');
    expect(row.textContent).toContain('hosted by Bob · 2 of 2 players (2 online) · full · on your');
    const join = within(row).getByRole<HTMLButtonElement>('button', { name: 'Join Two Seats' });
    expect(join.disabled).toBe(true);
    // The reason is text a screen reader hears with the button, not only its greyed look.
    const reason = document.getElementById(join.getAttribute('aria-describedby')!);
    expect(reason?.textContent).toBe('full');
    fireEvent.click(join);
    expect(store.getState().dialog).toBeNull();
  });

  it('with room left (and for this PC’s, which tells no online count) Join stays open', async () => {
    const here = nearby({
      party_id: 'party_here',
      name: 'Here Night',
      peer_count: 1,
      max_peers: 8,
      online_count: null,
      where: 'this_pc',
      address: null,
    });
    const { store } = await showNearby([here, nearby({ peer_count: 1, online_count: 1 })]);
    expect(rowOf('party_here').textContent).toContain('hosted by Bob · 1 of 8 players · on this');
    expect(rowOf('party_lan').textContent).toContain('1 of 2 players (1 online) · on your');
    expect(screen.queryByTestId('nearby-full')).toBeNull();
    const join = screen.getByRole<HTMLButtonElement>('button', { name: 'Join Two Seats' });
    expect(join.disabled).toBe(false);
    expect(join.hasAttribute('aria-describedby')).toBe(false);
    fireEvent.click(join);
    expect(store.getState().dialog).toBe('join');
  });

  it('a party this PC hosts that is full reads full too', async () => {
    await showNearby([nearby({ where: 'this_pc', address: null, online_count: null })]);
    expect(rowOf('party_lan').textContent).toContain('2 of 2 players · full · on this PC');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Join Two Seats' }).disabled).toBe(
      true,
    );
  });
});

describe('Parties nearby: a party found at its invite link’s address', () => {
  it('says so beside the address; one heard announced does not', async () => {
    await showNearby([
      nearby({ party_id: 'party_at', max_peers: 8, address: '10.0.0.5', at_address: true }),
      nearby({ party_id: 'party_heard', max_peers: 8 }),
    ]);
    const where = (id: string) => within(rowOf(id)).getByTestId('nearby-where').textContent;
    expect(where('party_at')).toBe(
      'on your network · 10.0.0.5 (the address its invite link named)',
    );
    expect(where('party_heard')).toBe('on your network · 192.168.1.20');
  });
});
