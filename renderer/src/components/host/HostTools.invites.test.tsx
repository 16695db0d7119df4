// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, makeParty, makeState, makeStatus } from '../../test-util/fixtures';
import { hostView, ok } from '../../test-util/host-view';
import { actAsync, renderWithStore } from '../../test-util/render';
import { App } from '../App';

afterEach(cleanup);

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

  it('an invite used up by a join leaves the list, which then says none is active (not "yet")', async () => {
    let listed = [invite];
    const { store } = hostView({ listInvites: () => ok(listed) });
    await actAsync(() => undefined);
    expect(screen.getByTestId('invite-item-link').getAttribute('title')).toBe(invite.link);
    listed = [];
    const joined = makeParty('alice', ['bob', 'cid', 'dan']);
    await actAsync(() => store.getState().applyEvent({ type: 'party', party: joined }));
    expect(screen.queryByTestId('invite-item')).toBeNull();
    expect(screen.getByTestId('no-invites').textContent).toBe(
      'No active invite links. A link leaves this list once it is used up, expires or is revoked.',
    );
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
