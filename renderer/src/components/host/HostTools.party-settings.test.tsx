// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, makeParty, makeState } from '../../test-util/fixtures';
import { ok } from '../../test-util/host-view';
import { actAsync, renderWithStore } from '../../test-util/render';
import { App } from '../App';

afterEach(cleanup);

describe('party settings (host)', () => {
  const settings = {
    host_migration: false,
    max_peers: 16,
    join_policy: 'password' as const,
    locked: false,
    visibility: 'public' as const,
  };
  const party = makeParty('alice', ['bob'], { settings });
  const ban = {
    peer_id: 'eve',
    name: 'Eve',
    key_fingerprint: null,
    banned_at: '2026-12-01T11:00:00Z',
  };

  it('every member reads the rules; the host opens the settings filled with them', async () => {
    const fake = fakeApi({ listInvites: () => ok([]), listBans: () => ok([ban]) });
    renderWithStore(<App />, makeState({ party }), fake.api);
    expect(screen.getByTestId('party-rules').textContent).toBe(
      ' Anyone with the password can join · up to 16 players · listed publicly',
    );
    await actAsync(() => fireEvent.click(screen.getByTestId('open-party-settings')));
    expect(screen.getByTestId<HTMLInputElement>('settings-max-players').value).toBe('16');
    expect(screen.getByTestId<HTMLInputElement>('settings-policy-password').checked).toBe(true);
    expect(screen.getByTestId<HTMLInputElement>('settings-listed').checked).toBe(true);
    expect(screen.getByText('New password (blank: keep it)')).toBeTruthy();
    expect(screen.getByTestId('ban-item').textContent).toContain('Eve');
  });

  it('saves a patch (a blank password keeps the old one) and closes', async () => {
    const fake = fakeApi({
      listInvites: () => ok([]),
      listBans: () => ok([]),
      updatePartySettings: () =>
        ok({ ...party, settings: { ...settings, locked: true, max_peers: 4 } }),
    });
    renderWithStore(<App />, makeState({ party }), fake.api);
    await actAsync(() => fireEvent.click(screen.getByTestId('open-party-settings')));
    fireEvent.change(screen.getByTestId('settings-max-players'), { target: { value: '4' } });
    fireEvent.click(screen.getByTestId('settings-locked'));
    await actAsync(() => fireEvent.click(screen.getByTestId('party-settings-save')));
    expect(
      fake.calls.filter((c) => c.channel === 'updatePartySettings').map((c) => c.request),
    ).toEqual([
      {
        settings: {
          max_peers: 4,
          join_policy: 'password',
          visibility: 'public',
          locked: true,
          host_migration: false,
        },
      },
    ]);
    expect(screen.queryByTestId('party-settings-dialog')).toBeNull();
    expect(screen.getByTestId('party-locked').textContent).toContain('Locked');
    expect(screen.getByTestId('toggle-lock').textContent).toBe('Unlock party');
  });

  it('Unban removes the player from the list', async () => {
    const fake = fakeApi({
      listInvites: () => ok([]),
      listBans: () => ok([ban]),
      unbanPeer: () => ok(null),
    });
    renderWithStore(<App />, makeState({ party }), fake.api);
    await actAsync(() => fireEvent.click(screen.getByTestId('open-party-settings')));
    await actAsync(() => fireEvent.click(screen.getByTestId('unban')));
    expect(fake.calls.filter((c) => c.channel === 'unbanPeer').map((c) => c.request)).toEqual([
      { peer_id: 'eve' },
    ]);
    expect(screen.queryByTestId('ban-item')).toBeNull();
    // Still inside the dialog (Tab from <body> would reach the page behind it).
    expect(document.activeElement?.id).toBe('bans-title');
  });
});
