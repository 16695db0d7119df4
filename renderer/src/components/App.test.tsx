// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, makeParty, makeState, makeStatus } from '../test-util/fixtures';
import { actAsync, renderWithStore } from '../test-util/render';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/context';
import { App } from './App';

afterEach(cleanup);

const discovered = [
  {
    party_id: 'party_here',
    name: 'Here Night',
    host_name: 'Carol',
    peer_count: 2,
    max_peers: 8,
    join_policy: 'open' as const,
    online_count: null,
    created_at: '2026-01-29T12:00:00',
    where: 'this_pc' as const,
    address: null,
    contested: false,
    host_pin: null,
  },
  {
    party_id: 'party_lan',
    name: 'LAN Night',
    host_name: 'Bob',
    peer_count: 3,
    max_peers: 8,
    join_policy: null,
    online_count: 1,
    created_at: null,
    where: 'lan' as const,
    address: '192.168.1.20',
    contested: false,
    host_pin: null,
  },
];

/** Alice's settings with `control_server` set. */
const serverSettings = (controlServer: string) => ({
  peer_name: 'Alice',
  control_server: controlServer,
  voice_volumes: {},
  relay_only: false,
  mute_shortcut: null,
});

/** A clipboard whose writes land in the array returned. */
function clipboardInto(): string[] {
  const copied: string[] = [];
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: (text: string) => (copied.push(text), Promise.resolve()) },
  });
  return copied;
}

describe('App', () => {
  it('shows home, then the party view when a party event arrives, then home again', () => {
    const { store } = renderWithStore(<App />);
    expect(screen.getByTestId('create-party-button')).toBeTruthy();
    act(() => store.getState().applyEvent({ type: 'party', party: makeParty('alice') }));
    expect(screen.getByTestId('party-name').textContent).toBe('Gaming Night');
    expect(screen.getByTestId('party-id').textContent).toBe('party_abc123');
    act(() => store.getState().applyEvent({ type: 'party', party: null }));
    expect(screen.queryByTestId('party-view')).toBeNull();
  });

  it('creates a party with the typed name and the chosen settings', async () => {
    const fake = fakeApi({ createParty: () => ({ ok: true, value: makeParty('alice') }) });
    renderWithStore(<App />, makeState(), fake.api);
    fireEvent.change(screen.getByTestId('create-party-name'), { target: { value: 'Friday Frag' } });
    fireEvent.change(screen.getByTestId('create-max-players'), { target: { value: '12' } });
    fireEvent.click(screen.getByTestId('create-policy-password'));
    fireEvent.change(screen.getByTestId('create-password'), { target: { value: 'hunter22' } });
    fireEvent.click(screen.getByTestId('create-listed'));
    await actAsync(() => fireEvent.click(screen.getByTestId('create-party-button')));
    expect(fake.calls.find((c) => c.channel === 'createParty')?.request).toEqual({
      name: 'Friday Frag',
      host_migration: true,
      settings: {
        max_peers: 12,
        join_policy: 'password',
        visibility: 'public',
        password: 'hunter22',
      },
    });
    expect(screen.getByTestId('party-view')).toBeTruthy();
  });

  it('says what is wrong with a field before asking the app, next to that field', () => {
    const fake = fakeApi();
    renderWithStore(<App />, makeState(), fake.api);
    fireEvent.change(screen.getByTestId('create-max-players'), { target: { value: '300' } });
    fireEvent.click(screen.getByTestId('create-policy-password'));
    fireEvent.click(screen.getByTestId('create-party-button'));
    const max = screen.getByTestId('create-max-players');
    expect(max.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(max.getAttribute('aria-describedby')!)?.textContent).toMatch(
      /from 2 to 256/,
    );
    expect(screen.getByTestId('create-password-error').textContent).toMatch(/Choose a password/);
    expect(fake.calls.filter((c) => c.channel === 'createParty')).toEqual([]);
  });

  it('an error on the field the user is in is said by a live region there from the start', () => {
    renderWithStore(<App />, makeState(), fakeApi().api);
    const name = screen.getByTestId('create-party-name');
    const live = screen.getByTestId('create-party-name-error-live');
    expect(live.getAttribute('aria-live')).toBe('polite');
    expect(live.textContent).toBe('');
    name.focus();
    fireEvent.change(name, { target: { value: 'n'.repeat(66) } });
    fireEvent.submit(name.closest('form')!);
    // Focus stays in the field (nothing to move to), so only the live region says the error.
    expect(document.activeElement).toBe(name);
    expect(screen.getByTestId('create-party-name-error-live')).toBe(live);
    const error = live.querySelector(`#${name.getAttribute('aria-describedby')}`);
    expect(error?.textContent).toMatch(/64/);
    expect(name.getAttribute('aria-invalid')).toBe('true');
  });

  it('a refused Create moves focus from the button to the first field in error', () => {
    renderWithStore(<App />, makeState(), fakeApi().api);
    fireEvent.change(screen.getByTestId('create-max-players'), { target: { value: '300' } });
    fireEvent.click(screen.getByTestId('create-policy-password'));
    const button = screen.getByTestId('create-party-button');
    button.focus();
    fireEvent.click(button);
    expect(document.activeElement).toBe(screen.getByTestId('create-max-players'));
    fireEvent.change(screen.getByTestId('create-max-players'), { target: { value: '8' } });
    button.focus();
    fireEvent.click(button);
    const password = screen.getByTestId('create-password');
    expect(document.activeElement).toBe(password);
    expect(password.getAttribute('aria-invalid')).toBe('true');
  });

  it('joins a nearby LAN party as a link naming the certificate its host announced', async () => {
    const fake = fakeApi({
      joinParty: () => ({ ok: false, error: { code: 'unreachable', message: 'x' } }),
    });
    const pin = 'B'.repeat(43);
    const pinned = { ...discovered[1]!, host_pin: pin };
    const status = makeStatus({ state: 'local', serverUrl: null });
    await actAsync(() =>
      renderWithStore(<App />, makeState({ discovered: [pinned], status }), fake.api),
    );
    await actAsync(() => fireEvent.click(screen.getByRole('button', { name: 'Join LAN Night' })));
    const link = `lanrage://join/party_lan?pin=${pin}`;
    expect(screen.getByTestId<HTMLInputElement>('join-input').value).toBe(link);
    await actAsync(() => fireEvent.click(screen.getByTestId('join-submit')));
    expect(fake.calls.find((c) => c.channel === 'joinParty')?.request).toEqual({ invite: link });
  });

  it('shows a party several PCs announce without a Join button, and says what to do', async () => {
    const contested = {
      ...discovered[1]!,
      party_id: 'party_twice',
      name: 'Twice Night',
      address: null,
      contested: true,
    };
    const status = makeStatus({ state: 'local', serverUrl: null });
    const state = makeState({ discovered: [discovered[1]!, contested], status });
    await actAsync(() => renderWithStore(<App />, state, fakeApi().api));
    const row = screen
      .getAllByTestId('discovered-party')
      .find((i) => i.getAttribute('data-party-id') === 'party_twice')!;
    expect(row.textContent).toContain('Twice Night');
    expect(row.textContent).toMatch(/more than one PC on your network announces this party/);
    expect(row.textContent).toContain('ask the host for an invite link');
    expect(row.querySelector('button')).toBeNull();
    expect(screen.getByRole('button', { name: 'Join LAN Night' })).toBeTruthy();
  });

  it('lists nearby parties with where they are; Join goes through the join dialog', async () => {
    const fake = fakeApi({
      joinParty: () => ({
        ok: true,
        value: makeParty('bob', ['alice'], { party_id: 'party_lan' }),
      }),
    });
    const status = makeStatus({ state: 'local', serverUrl: null });
    await actAsync(() => renderWithStore(<App />, makeState({ discovered, status }), fake.api));
    expect(screen.getByTestId('discovered-source').textContent).toBe(
      'Hosted with LANrage on this PC or your local network',
    );
    const items = screen.getAllByTestId('discovered-party');
    expect(items.map((i) => i.getAttribute('data-party-id'))).toEqual(['party_here', 'party_lan']);
    expect(items[0]!.textContent).toContain('hosted by Carol · 2 of 8 players · on this PC');
    expect(items[1]!.textContent).toContain('LAN Night');
    // A LAN host tells how many are online; the offline ones still count as members.
    expect(items[1]!.textContent).toContain('hosted by Bob · 3 of 8 players (1 online) · on your');
    expect(items[1]!.textContent).toContain('on your network · 192.168.1.20');
    await actAsync(() => fireEvent.click(screen.getByRole('button', { name: 'Join LAN Night' })));
    // Nothing is sent before the user confirms in the dialog.
    expect(fake.calls.map((c) => c.channel)).not.toContain('joinParty');
    expect(screen.getByTestId('invite-party-name').textContent).toBe('LAN Night');
    expect(screen.getByTestId('invite-host-name').textContent).toBe('Bob');
    expect(screen.getByTestId('invite-where').textContent).toContain('192.168.1.20');
    await actAsync(() => fireEvent.click(screen.getByTestId('join-submit')));
    expect(fake.calls.find((c) => c.channel === 'joinParty')?.request).toEqual({
      invite: 'party_lan',
    });
    expect(screen.getByTestId('party-id').textContent).toBe('party_lan');
    // The list is pushed by the app: the page never asks for it.
    expect(fake.calls.map((c) => c.channel)).not.toContain('discoverParties');
  });

  it('leaves the party with the Leave button', async () => {
    const fake = fakeApi({ leaveParty: () => ({ ok: true, value: null }) });
    renderWithStore(<App />, makeState({ party: makeParty('alice') }), fake.api);
    await actAsync(() => fireEvent.click(screen.getByTestId('leave-party')));
    expect(fake.calls.map((c) => c.channel)).toContain('leaveParty');
    expect(screen.queryByTestId('party-view')).toBeNull();
  });

  it('copy button puts the party ID on the clipboard', async () => {
    const copied = clipboardInto();
    renderWithStore(<App />, makeState({ party: makeParty('alice') }));
    const button = screen.getByTestId('copy-party-id');
    await actAsync(() => fireEvent.click(button));
    expect(copied).toEqual(['party_abc123']);
    // Said on the button, in the label's place (nothing beside it moves), and announced.
    expect(button.querySelector('[data-shown="true"]')?.textContent).toBe('Copied!');
    expect(button.querySelector('[data-shown="false"]')?.textContent).toBe('Copy ID');
    expect(button.parentElement?.querySelector('[role="status"]')?.textContent).toBe('Copied!');
  });

  it('a copy that fails says what to do beside the button', async () => {
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: () => Promise.reject(new Error('denied')) },
    });
    renderWithStore(<App />, makeState({ party: makeParty('alice') }));
    const button = screen.getByTestId('copy-party-id');
    await actAsync(() => fireEvent.click(button));
    expect(button.querySelector('[data-shown="true"]')?.textContent).toBe('Copy ID');
    const said = button.parentElement?.querySelector('.copy-feedback[role="status"]');
    expect(said?.textContent).toMatch(/^Copy failed: select .* and copy it by hand$/);
  });
});

describe('the invite link names the server the party is on', () => {
  it('with a server friends can reach: the link carries it', () => {
    const settings = serverSettings('wss://play.example.org');
    renderWithStore(<App />, makeState({ party: makeParty('alice'), settings }));
    expect(screen.getByTestId('invite-link').textContent).toBe(
      'lanrage://join/party_abc123?server=wss://play.example.org',
    );
  });

  it('not a loopback server (on a friend’s PC it is theirs), nor a party kept local', () => {
    renderWithStore(<App />, makeState({ party: makeParty('alice') }));
    expect(screen.getByTestId('invite-link').textContent).toBe('lanrage://join/party_abc123');
    cleanup();
    const settings = serverSettings('wss://play.example.org');
    const status = makeStatus({ state: 'offline' });
    renderWithStore(<App />, makeState({ party: makeParty('alice'), settings, status }));
    expect(screen.getByTestId('invite-link').textContent).toBe('lanrage://join/party_abc123');
  });
});

describe('the invite link of a party without a server names its host PC’s certificate', () => {
  const hostPin = 'a4ayc_80_OGda4BO_1o_V0etpOqiLx1JwB5S3beHW0s';

  it('without a server: the link and the message carry the pin', async () => {
    const copied = clipboardInto();
    const status = makeStatus({ hostPin });
    renderWithStore(<App />, makeState({ party: makeParty('alice'), status }));
    const link = `lanrage://join/party_abc123?pin=${hostPin}`;
    expect(screen.getByTestId('invite-link').textContent).toBe(link);
    await actAsync(() => fireEvent.click(screen.getByTestId('copy-invite-message')));
    expect(copied).toEqual([expect.stringContaining(link)]);
  });

  it('and where that PC answers, for a friend whose network blocks LAN discovery', async () => {
    const copied = clipboardInto();
    const hostAt = ['10.0.0.5:8669', '192.168.1.20:8669'];
    renderWithStore(
      <App />,
      makeState({ party: makeParty('alice'), status: makeStatus({ hostPin, hostAt }) }),
    );
    const link = `lanrage://join/party_abc123?pin=${hostPin}&at=10.0.0.5:8669,192.168.1.20:8669`;
    expect(screen.getByTestId('invite-link').textContent).toBe(link);
    await actAsync(() => fireEvent.click(screen.getByTestId('copy-invite-message')));
    expect(copied).toEqual([expect.stringContaining(link)]);
  });

  it('on a server: the server, not a pin', () => {
    const settings = serverSettings('wss://play.example.org');
    const status = makeStatus({ state: 'connected', hostPin, hostAt: ['10.0.0.5:8669'] });
    renderWithStore(<App />, makeState({ party: makeParty('alice'), settings, status }));
    expect(screen.getByTestId('invite-link').textContent).toBe(
      'lanrage://join/party_abc123?server=wss://play.example.org',
    );
  });
});

describe('who lets friends in, said under the party ID', () => {
  const approval = (hostId: string, others: string[]) =>
    makeParty(hostId, others, {
      settings: { ...makeParty('x').settings, join_policy: 'approval' },
    });

  it('the host reads that they let each in; a member, that the host does', () => {
    renderWithStore(<App />, makeState({ party: approval('alice', ['bob']) }));
    expect(screen.getByTestId('invite-hint').textContent).toMatch(
      / You let each of them in when they ask\.$/,
    );
    cleanup();
    renderWithStore(<App />, makeState({ party: approval('bob', ['alice']) }));
    expect(screen.getByTestId('invite-hint').textContent).toMatch(
      / The host lets each of them in when they ask\.$/,
    );
  });
});

describe('a locked party, said under the party ID', () => {
  const locked = (hostId: string, others: string[]) =>
    makeParty(hostId, others, {
      settings: { ...makeParty('x').settings, join_policy: 'invite_only', locked: true },
    });

  it('tells nobody to send invite links that the lock turns away', () => {
    renderWithStore(<App />, makeState({ party: locked('alice', ['bob']) }));
    const hint = () => screen.getByTestId('invite-hint').textContent;
    expect(hint()).toMatch(/ The party is locked: nobody new gets in, not even with an invite/);
    expect(hint()).not.toMatch(/send an invite link/);
    cleanup();
    renderWithStore(<App />, makeState({ party: locked('bob', ['alice']) }));
    expect(hint()).toMatch(/ The host has locked the party: nobody new gets in for now\.$/);
  });
});

describe('a page the app refused (not this launch’s token)', () => {
  it('stops saying "Connecting" and says which link to open', () => {
    const store = createAppStore(fakeApi().api);
    render(
      <StoreProvider store={store}>
        <App />
      </StoreProvider>,
    );
    expect(screen.getByTestId('loading-title').textContent).toBe('Connecting to LANrage…');
    act(() => store.getState().setBridge('stale'));
    expect(screen.getByTestId('loading-title').textContent).toBe('Open the link LANrage printed');
    // No settings to show or save without the app's state.
    expect(screen.queryByTestId('settings-button')).toBeNull();
  });
});

describe('Create party without a server', () => {
  it('does not offer to list the party in Browse, which only a server has', () => {
    renderWithStore(<App />, makeState({ status: makeStatus({ state: 'local' }) }));
    expect(screen.queryByTestId('create-listed')).toBeNull();
    expect(screen.getByTestId('create-party-hand-over')).toBeTruthy();
    cleanup();
    renderWithStore(<App />, makeState());
    expect(screen.getByTestId('create-listed')).toBeTruthy();
  });
});
