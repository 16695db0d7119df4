// @vitest-environment happy-dom
/**
 * "<party> is back": the notice's Join opens the join dialog for the party as Parties nearby's
 * Join does, and joins by the same request; none while the party is not listed.
 */
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveredParty, Notice } from '../../../shared/ipc/app-state';
import { fakeApi, makeParty, makeState, makeStatus } from '../test-util/fixtures';
import { actAsync, renderWithStore } from '../test-util/render';
import { App } from './App';

afterEach(cleanup);

const row: DiscoveredParty = {
  party_id: 'party_lan',
  name: 'Friday Frag',
  host_name: 'Bob',
  peer_count: 2,
  max_peers: 8,
  join_policy: 'open',
  online_count: 2,
  created_at: null,
  where: 'lan',
  address: '10.0.0.5',
  contested: false,
  host_pin: 'B'.repeat(43),
  at_address: true,
};
const back: Notice = {
  id: 'n1',
  message: 'Friday Frag is back: its host is hosting it again.',
  join_party_id: 'party_lan',
};

/** The joinParty request made by pressing `join`, then the dialog's Join. */
async function joinedBy(join: () => HTMLElement, discovered = [row]) {
  const fake = fakeApi({ joinParty: () => ({ ok: true, value: makeParty('bob') }) });
  const status = makeStatus({ state: 'local', serverUrl: null });
  renderWithStore(<App />, makeState({ notices: [back], discovered, status }), fake.api);
  await actAsync(() => undefined);
  await actAsync(() => fireEvent.click(join()));
  expect(screen.getByTestId('invite-party-name').textContent).toBe('Friday Frag');
  await actAsync(() => fireEvent.click(screen.getByTestId('join-submit')));
  const calls = fake.calls.filter((c) => c.channel === 'joinParty');
  cleanup();
  return calls;
}

describe('the “is back” notice', () => {
  it('shows its Join, which joins as the Parties nearby row’s Join does', async () => {
    const fromNotice = await joinedBy(() => {
      const notice = screen.getByTestId('notice');
      expect(within(notice).getByTestId('notice-dismiss')).toBeTruthy();
      expect(notice.textContent).toContain('Friday Frag is back');
      return within(notice).getByTestId('notice-join');
    });
    const fromRow = await joinedBy(() =>
      within(screen.getByTestId('discovered-party')).getByRole('button', {
        name: 'Join Friday Frag',
      }),
    );
    expect(fromNotice).toHaveLength(1);
    expect(fromNotice).toEqual(fromRow);
    expect(fromNotice[0]?.request).toEqual({
      invite: `lanrage://join/party_lan?pin=${'B'.repeat(43)}`,
    });
  });

  it('has no Join while its party is not listed', async () => {
    const status = makeStatus({ state: 'local', serverUrl: null });
    renderWithStore(<App />, makeState({ notices: [back], discovered: [], status }), fakeApi().api);
    await actAsync(() => undefined);
    expect(screen.getByTestId('notice').textContent).toContain('is back');
    expect(screen.queryByTestId('notice-join')).toBeNull();
  });
});
