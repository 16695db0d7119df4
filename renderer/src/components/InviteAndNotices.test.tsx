// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { InvitePreview } from '../../../shared/ipc/app-state';
import { previewOf } from '../../../shared/ipc/invite-preview';
import { fakeApi, makeParty, makeState } from '../test-util/fixtures';
import { actAsync, renderWithStore } from '../test-util/render';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/context';
import { App } from './App';

afterEach(cleanup);

const preview: InvitePreview = {
  ...previewOf('party_abc123', null),
  name: 'Gaming Night',
  host_name: 'Bob',
  peer_count: 3,
};

describe('an invite link asks first', () => {
  it('opens the join dialog filled in with the party, and joins nothing by itself', () => {
    const fake = fakeApi();
    renderWithStore(<App />, makeState({ invite: preview }), fake.api);
    expect(screen.getByTestId('join-dialog')).toBeTruthy();
    expect(screen.getByText('Join this party?')).toBeTruthy();
    expect(screen.getByTestId('invite-party-name').textContent).toBe('Gaming Night');
    expect(screen.getByTestId('invite-host-name').textContent).toBe('Bob');
    expect(screen.getByTestId<HTMLInputElement>('join-input').value).toBe('party_abc123');
    expect(fake.calls.filter((c) => c.channel === 'joinParty')).toEqual([]);
  });

  it('joins only when the user confirms', async () => {
    const fake = fakeApi({ joinParty: () => ({ ok: true, value: makeParty('bob') }) });
    renderWithStore(<App />, makeState({ invite: preview }), fake.api);
    await actAsync(() => fireEvent.click(screen.getByTestId('join-submit')));
    expect(fake.calls.filter((c) => c.channel === 'joinParty')).toEqual([
      { channel: 'joinParty', request: { invite: 'party_abc123' } },
    ]);
  });

  // Opened by the link, not by a button: what had focus then was <body>, nothing to go back to.
  it('joined with Enter, focus lands on the party’s heading', async () => {
    const fake = fakeApi({ joinParty: () => ({ ok: true, value: makeParty('bob') }) });
    const { store } = renderWithStore(<App />, makeState({ invite: preview }), fake.api);
    expect(document.activeElement).toBe(screen.getByTestId('join-input'));
    await actAsync(() => fireEvent.submit(screen.getByTestId('join-input').closest('form')!));
    await actAsync(() => store.getState().applyEvent({ type: 'invite', invite: null }));
    expect(screen.queryByTestId('join-dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('party-name'));
  });

  it('Cancel declines the invite in the app', async () => {
    const fake = fakeApi({ dismissInvite: () => ({ ok: true, value: null }) });
    const { store } = renderWithStore(<App />, makeState({ invite: preview }), fake.api);
    await actAsync(() => fireEvent.click(screen.getByText('Cancel')));
    expect(fake.calls.map((c) => c.channel)).toContain('dismissInvite');
    act(() => store.getState().applyEvent({ type: 'invite', invite: null }));
    expect(screen.queryByTestId('join-dialog')).toBeNull();
  });

  it('says so when the party could not be looked up', () => {
    const unknown = { ...preview, name: null, host_name: null, peer_count: null };
    renderWithStore(<App />, makeState({ invite: unknown }));
    expect(screen.getByTestId('invite-summary').textContent).toMatch(
      /could not look this party up/,
    );
  });

  it('says before Join that the user is in a party already', () => {
    const party = makeParty('alice', [], { name: 'Party One' });
    renderWithStore(<App />, makeState({ party, invite: preview }));
    expect(screen.getByTestId('join-in-party').textContent).toBe(
      'You are in Party One: leave it first to join another party.',
    );
    cleanup();
    renderWithStore(<App />, makeState({ invite: preview }));
    expect(screen.queryByTestId('join-in-party')).toBeNull();
  });

  it('says before Join that the party lets in only invites, and whether the link’s is spent', () => {
    const hidden = {
      ...preview,
      name: null,
      host_name: null,
      peer_count: null,
      needs_invite: true,
    };
    renderWithStore(<App />, makeState({ invite: hidden }));
    expect(screen.getByTestId('invite-needs-invite').textContent).toMatch(
      /^This party only lets in people with an invite link: the party ID alone is not enough/,
    );
    cleanup();
    renderWithStore(<App />, makeState({ invite: { ...hidden, invite_token: 'a'.repeat(26) } }));
    expect(screen.getByTestId('invite-needs-invite').textContent).toMatch(
      /that invite has expired, been used up or been revoked/,
    );
  });

  it('says it is still looking, not that there is no such party, while the LAN has not answered', () => {
    const unheard = { ...preview, name: null, host_name: null, peer_count: null, looking: true };
    renderWithStore(<App />, makeState({ invite: unheard }));
    expect(screen.getByTestId('invite-looking').textContent).toMatch(
      /^Looking for this party on your network… Its name shows here once its host's PC answers\. If it never does, LANrage may be closed on that PC, or the PC on another network: ask the host\.$/,
    );
    expect(screen.queryByTestId('invite-missing')).toBeNull();
    cleanup();
    // A link naming where its host answers: Join dials it there too (mDNS may be blocked).
    const at = { ...unheard, host_pin: 'A'.repeat(43), host_at: ['10.0.0.5:8669'] };
    renderWithStore(<App />, makeState({ invite: at }));
    expect(screen.getByTestId('invite-looking').textContent).toMatch(
      /ask the host\. Join also tries the address the link names \(10\.0\.0\.5:8669\), in case your network blocks LAN discovery\.$/,
    );
  });

  it('says there is no such party when the server answered so', () => {
    const gone = { ...preview, name: null, host_name: null, peer_count: null, missing: true };
    renderWithStore(<App />, makeState({ invite: gone }));
    expect(screen.getByTestId('invite-missing').textContent).toMatch(
      /no party with this ID: it may have ended/,
    );
  });
});

describe('notices', () => {
  it('shows each notice until the user dismisses it', async () => {
    const fake = fakeApi({ dismissNotice: () => ({ ok: true, value: null }) });
    const notices = [{ id: 'n1', message: 'Your saved parties were corrupt.' }];
    const { store } = renderWithStore(<App />, makeState({ notices }), fake.api);
    expect(screen.getByTestId('notice').textContent).toContain('Your saved parties were corrupt.');
    await actAsync(() => fireEvent.click(screen.getByTestId('notice-dismiss')));
    expect(fake.calls).toContainEqual({ channel: 'dismissNotice', request: { id: 'n1' } });
    act(() => store.getState().applyEvent({ type: 'notices', notices: [] }));
    expect(screen.queryByTestId('notice')).toBeNull();
  });

  it('Dismiss hands focus to the next notice’s Dismiss, then to the view’s heading', async () => {
    const fake = fakeApi({ dismissNotice: () => ({ ok: true, value: null }) });
    const two = [
      { id: 'n1', message: 'Your saved parties were corrupt.' },
      { id: 'n2', message: 'Your identity changed.' },
    ];
    const { store } = renderWithStore(<App />, makeState({ notices: two }), fake.api);
    const dismissFirst = async (left: typeof two) => {
      screen.getAllByTestId('notice-dismiss')[0]!.focus();
      await actAsync(() => fireEvent.click(screen.getAllByTestId('notice-dismiss')[0]!));
      await actAsync(() => store.getState().applyEvent({ type: 'notices', notices: left }));
    };
    await dismissFirst(two.slice(1));
    expect(document.activeElement).toBe(screen.getByTestId('notice-dismiss'));
    await dismissFirst([]);
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
  });

  it('a notice there when the app opens has focus, not the welcome heading under it', () => {
    const store = createAppStore(fakeApi().api);
    render(
      <StoreProvider store={store}>
        <App />
      </StoreProvider>,
    );
    const notice = { id: 'n1', message: 'Your settings file could not be read.' };
    const state = makeState({ notices: [notice], first_run: true });
    act(() => store.getState().applyEvent({ type: 'snapshot', state }));
    expect(screen.getByTestId('welcome-name')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByTestId('notice'));
  });

  it('the notices region is live from the start, so a later notice is said, and inert under a dialog', () => {
    const { store } = renderWithStore(<App />, makeState(), fakeApi().api);
    const region = screen.getByTestId('notices');
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.getAttribute('aria-label')).toBeNull();
    fireEvent.click(screen.getByTestId('settings-button'));
    const notices = [{ id: 'n1', message: 'Your identity changed.' }];
    act(() => store.getState().applyEvent({ type: 'notices', notices }));
    // The same node (a region added with its text is often not read), behind the dialog.
    expect(screen.getByTestId('notices')).toBe(region);
    expect(region.textContent).toContain('Your identity changed.');
    expect(region.getAttribute('aria-label')).toBe('Notices');
    expect(region.hasAttribute('inert')).toBe(true);
  });
});
