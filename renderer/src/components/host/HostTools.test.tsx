// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, makeParty, makeState, makeStatus } from '../../test-util/fixtures';
import { actAsync, renderWithStore } from '../../test-util/render';
import { App } from '../App';

afterEach(cleanup);

const ok = <T,>(value: T) => ({ ok: true as const, value });

function hostView(handlers: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi({ listInvites: () => ok([]), listBans: () => ok([]), ...handlers });
  const view = renderWithStore(
    <App />,
    makeState({ party: makeParty('alice', ['bob', 'cid']) }),
    fake.api,
  );
  return { ...view, fake };
}

function row(name: string): HTMLElement {
  return screen.getAllByTestId('peer-row').find((r) => r.textContent?.includes(name))!;
}

describe('member menu (host)', () => {
  it('is on every other member, not on my row nor for a guest', () => {
    hostView();
    expect(screen.getAllByTestId('member-menu')).toHaveLength(2);
    expect(within(row('Alice')).queryByTestId('member-menu')).toBeNull();
    cleanup();
    renderWithStore(<App />, makeState({ party: makeParty('bob', ['alice']) }));
    expect(screen.queryByTestId('member-menu')).toBeNull();
    expect(screen.queryByTestId('open-party-settings')).toBeNull();
  });

  it('opens as a disclosure; Kick sends kick_peer without a ban; Esc closes and keeps focus', async () => {
    const { fake } = hostView({ kickPeer: () => ok(null) });
    const toggle = within(row('Bob')).getByTestId('member-menu');
    expect(toggle.getAttribute('aria-label')).toBe('Actions for Bob');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    fireEvent.keyDown(within(row('Bob')).getByTestId('kick-member'), { key: 'Escape' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(toggle);
    fireEvent.click(toggle);
    await actAsync(() => fireEvent.click(within(row('Bob')).getByTestId('kick-member')));
    expect(fake.calls.filter((c) => c.channel === 'kickPeer').map((c) => c.request)).toEqual([
      { peer_id: 'bob', ban: false },
    ]);
    // The row (and the menu with it) goes: focus waits on the members' title, not <body>.
    expect(document.activeElement?.id).toBe('members-title');
  });

  it('Ban asks first; confirming bans, cancelling sends nothing', async () => {
    const { fake } = hostView({ kickPeer: () => ok(null) });
    fireEvent.click(within(row('Cid')).getByTestId('member-menu'));
    fireEvent.click(within(row('Cid')).getByTestId('ban-member'));
    expect(screen.getByTestId('ban-dialog').textContent).toContain('Ban Cid?');
    // A ban holds an identity, not a person: the dialog does not promise more.
    expect(screen.getByTestId('ban-dialog').textContent).toContain('their LANrage identity cannot');
    expect(screen.getByTestId('ban-limit').textContent).toMatch(/resets LANrage .* new player/);
    fireEvent.click(within(screen.getByTestId('ban-dialog')).getByText('Cancel'));
    expect(screen.queryByTestId('ban-dialog')).toBeNull();
    expect(fake.calls.filter((c) => c.channel === 'kickPeer')).toEqual([]);
    fireEvent.click(within(row('Cid')).getByTestId('member-menu'));
    fireEvent.click(within(row('Cid')).getByTestId('ban-member'));
    await actAsync(() => fireEvent.click(screen.getByTestId('ban-confirm')));
    expect(fake.calls.filter((c) => c.channel === 'kickPeer').map((c) => c.request)).toEqual([
      { peer_id: 'cid', ban: true },
    ]);
    expect(screen.queryByTestId('ban-dialog')).toBeNull();
  });

  it('a ban puts focus on the members title, whether the row or the answer goes first', async () => {
    // The server tells members before it answers: Cid's row may go while the dialog is open.
    let rowGoes = () => {};
    const { store } = hostView({
      kickPeer: () => {
        rowGoes();
        return ok(null);
      },
    });
    const withoutCid = () =>
      store.getState().applyEvent({ type: 'party', party: makeParty('alice', ['bob']) });
    rowGoes = withoutCid;
    fireEvent.click(within(row('Cid')).getByTestId('member-menu'));
    fireEvent.click(within(row('Cid')).getByTestId('ban-member'));
    await actAsync(() => fireEvent.click(screen.getByTestId('ban-confirm')));
    expect(screen.queryByTestId('ban-dialog')).toBeNull();
    expect(document.activeElement?.id).toBe('members-title');
    // The answer first: focus is back on Bob's ⋯, then his row goes with it.
    rowGoes = () => {};
    fireEvent.click(within(row('Bob')).getByTestId('member-menu'));
    fireEvent.click(within(row('Bob')).getByTestId('ban-member'));
    await actAsync(() => fireEvent.click(screen.getByTestId('ban-confirm')));
    expect(document.activeElement).toBe(within(row('Bob')).getByTestId('member-menu'));
    await actAsync(() => store.getState().applyEvent({ type: 'party', party: makeParty('alice') }));
    expect(document.activeElement?.id).toBe('members-title');
  });

  it('Make host: the menus go as the party is handed over, and focus waits on the members title', async () => {
    let handOver = () => {};
    const { store, fake } = hostView({
      transferHost: () => {
        handOver();
        return ok(null);
      },
    });
    handOver = () =>
      store.getState().applyEvent({ type: 'party', party: makeParty('bob', ['alice', 'cid']) });
    const toggle = within(row('Bob')).getByTestId('member-menu');
    toggle.focus();
    fireEvent.click(toggle);
    await actAsync(() => fireEvent.click(within(row('Bob')).getByTestId('make-host')));
    expect(fake.calls.filter((c) => c.channel === 'transferHost').map((c) => c.request)).toEqual([
      { peer_id: 'bob' },
    ]);
    expect(screen.queryByTestId('member-menu')).toBeNull();
    expect(document.activeElement?.id).toBe('members-title');
  });

  it('Make host sends transfer_host; a refusal is shown above the list', async () => {
    const message = 'Only the host can do that.';
    hostView({ transferHost: () => ({ ok: false, error: { code: 'forbidden', message } }) });
    fireEvent.click(within(row('Bob')).getByTestId('member-menu'));
    await actAsync(() => fireEvent.click(within(row('Bob')).getByTestId('make-host')));
    expect(screen.getByTestId('member-error').textContent).toBe(message);
  });
});

describe('invites panel (host)', () => {
  const invite = {
    invite_id: 'inv1',
    token: 'abcdefghijklmnopqrstuvwxyz',
    // 45 min, not 60: an hour sits on the "min" / "h" boundary and flips with the test's pace.
    expires_at: new Date(Date.now() + 2_700_000).toISOString(),
    max_uses: 1,
    uses: 0,
    url: null,
    link: 'lanrage://join/party_abc123?invite=abcdefghijklmnopqrstuvwxyz',
  };

  it('asks again when someone joins: the use they made of an invite shows', async () => {
    let uses = 0;
    const { fake, store } = hostView({
      listInvites: () => ok([{ ...invite, uses, max_uses: 2 }]),
    });
    await actAsync(() => undefined);
    expect(screen.getByTestId('invite-item-limits').textContent).toMatch(/0 of 2 uses/);
    uses = 1;
    const joined = makeParty('alice', ['bob', 'cid', 'dan']);
    await actAsync(() => store.getState().applyEvent({ type: 'party', party: joined }));
    expect(fake.calls.filter((c) => c.channel === 'listInvites')).toHaveLength(2);
    expect(screen.getByTestId('invite-item-limits').textContent).toMatch(/1 of 2 uses/);
  });

  it('creates an invite with the chosen expiry and uses, shows its link, revokes it', async () => {
    const { fake } = hostView({ createInvite: () => ok(invite), revokeInvite: () => ok(null) });
    await actAsync(() => undefined);
    fireEvent.change(screen.getByTestId('invite-expiry'), { target: { value: '3600' } });
    fireEvent.change(screen.getByTestId('invite-uses'), { target: { value: '1' } });
    await actAsync(() => fireEvent.click(screen.getByTestId('create-invite')));
    expect(fake.calls.filter((c) => c.channel === 'createInvite').map((c) => c.request)).toEqual([
      { expires_in_s: 3600, max_uses: 1 },
    ]);
    expect(screen.getByTestId('invite-item-link').textContent).toBe(invite.link);
    expect(screen.getByTestId('invite-item-limits').textContent).toMatch(
      /expires in (44|45) min · 0 of 1 use/,
    );
    expect(screen.queryByTestId('copy-invite-web')).toBeNull();
    await actAsync(() => fireEvent.click(screen.getByTestId('revoke-invite')));
    expect(fake.calls.filter((c) => c.channel === 'revokeInvite').map((c) => c.request)).toEqual([
      { invite_id: 'inv1' },
    ]);
    expect(screen.getByTestId('no-invites')).toBeTruthy();
    // Not dropped to <body> with the row: a keyboard user goes on from the panel.
    expect(document.activeElement?.id).toBe('invites-title');
  });

  it("reads the expiry on the server's clock: this PC 2 h behind it still says 45 min", async () => {
    const behind = 2 * 3_600_000;
    const onServer = {
      ...invite,
      expires_at: new Date(Date.now() + behind + 2_700_000).toISOString(),
    };
    renderWithStore(
      <App />,
      makeState({
        party: makeParty('alice', ['bob']),
        status: makeStatus({ serverClockOffsetMs: behind }),
      }),
      fakeApi({ listInvites: () => ok([onServer]), listBans: () => ok([]) }).api,
    );
    await actAsync(() => undefined);
    expect(screen.getByTestId('invite-item-limits').textContent).toMatch(/expires in (44|45) min/);
  });

  it('offers the web link when the server has one, and refuses 0 uses without asking the app', async () => {
    const url = 'https://lanrage.example/join/party_abc123?invite=abcdefghijklmnopqrstuvwxyz';
    const { fake } = hostView({ listInvites: () => ok([{ ...invite, url }]) });
    await actAsync(() => undefined);
    expect(screen.getByTestId('copy-invite-web')).toBeTruthy();
    fireEvent.change(screen.getByTestId('invite-uses'), { target: { value: '0' } });
    fireEvent.click(screen.getByTestId('create-invite'));
    expect(screen.getByTestId('invite-uses-error').textContent).toMatch(/1 to 100/);
    expect(fake.calls.filter((c) => c.channel === 'createInvite')).toEqual([]);
  });
});

describe('join requests (host)', () => {
  it('lists who waits, with Accept and Reject sending answer_join', async () => {
    const fake = fakeApi({ listInvites: () => ok([]), answerJoin: () => ok(null) });
    const request = {
      party_id: 'party_abc123',
      peer_id: 'dan',
      name: 'Dan',
      key_fingerprint: 'ab12 cd34',
      expires_at: new Date(Date.now() + 120_000).toISOString(),
    };
    renderWithStore(
      <App />,
      makeState({ party: makeParty('alice'), join_requests: [request] }),
      fake.api,
    );
    const item = screen.getByTestId('join-request');
    expect(item.textContent).toContain('Dan');
    expect(item.textContent).toContain('ab12 cd34');
    expect(screen.queryByTestId('join-request-away')).toBeNull();
    await actAsync(() => fireEvent.click(screen.getByTestId('reject-join')));
    expect(fake.calls.filter((c) => c.channel === 'answerJoin').map((c) => c.request)).toEqual([
      { peer_id: 'dan', accept: false },
    ]);
  });
});

describe('leaving alone while players wait to get in', () => {
  it('asks first, says they will be turned away, and ends the party on Leave', async () => {
    const fake = fakeApi({ listInvites: () => ok([]), leaveParty: () => ok(null) });
    const request = {
      peer_id: 'dan',
      name: 'Dan',
      key_fingerprint: null,
      expires_at: new Date(Date.now() + 120_000).toISOString(),
    };
    const state = makeState({ party: makeParty('alice'), join_requests: [request] });
    renderWithStore(<App />, state, fake.api);
    await actAsync(() => fireEvent.click(screen.getByTestId('leave-party')));
    expect(fake.calls.map((c) => c.channel)).not.toContain('leaveParty');
    expect(screen.getByTestId('leave-waiting').textContent).toBe(
      '1 player is waiting for you to let them in. You are the only member: leaving ends ' +
        'the party, and they are told it ended.',
    );
    expect(screen.queryByTestId('leave-hand-over')).toBeNull();
    await actAsync(() => fireEvent.click(screen.getByTestId('leave-confirm')));
    expect(fake.calls.find((c) => c.channel === 'leaveParty')?.request).toEqual({
      end_for_everyone: true,
    });
  });
});

describe('a request whose joiner left', () => {
  it('says the app closed and that accepting lets them in offline', () => {
    const request = {
      peer_id: 'dan',
      name: 'Dan',
      key_fingerprint: null,
      expires_at: new Date(Date.now() + 120_000).toISOString(),
      away: true,
    };
    const fake = fakeApi({ listInvites: () => ok([]) });
    const state = makeState({ party: makeParty('alice'), join_requests: [request] });
    renderWithStore(<App />, state, fake.api);
    expect(screen.getByTestId('join-request-away').textContent).toBe(
      ' · app closed: joins as offline if accepted',
    );
  });
});

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
