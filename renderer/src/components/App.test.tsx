// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, makeParty, makeState, makeStatus } from '../test/fixtures';
import { actAsync, renderWithStore } from '../test/render';
import { App } from './App';

afterEach(cleanup);

const discovered = [
  {
    party_id: 'party_lan',
    name: 'LAN Night',
    host_name: 'Bob',
    peer_count: 1,
    created_at: '2026-01-29T12:00:00',
  },
];

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

  it('creates a party with the typed name', async () => {
    const fake = fakeApi({ createParty: () => ({ ok: true, value: makeParty('alice') }) });
    renderWithStore(<App />, makeState(), fake.api);
    fireEvent.change(screen.getByTestId('create-party-name'), { target: { value: 'Friday Frag' } });
    await actAsync(() => fireEvent.click(screen.getByTestId('create-party-button')));
    expect(fake.calls.find((c) => c.channel === 'createParty')?.request).toEqual({
      name: 'Friday Frag',
      host_migration: true,
    });
    expect(screen.getByTestId('party-view')).toBeTruthy();
  });

  it('lists discovered parties and joins one with its button', async () => {
    const fake = fakeApi({
      discoverParties: () => ({ ok: true, value: discovered }),
      joinParty: () => ({
        ok: true,
        value: makeParty('bob', ['alice'], { party_id: 'party_lan' }),
      }),
    });
    const status = makeStatus({ state: 'local', serverUrl: null });
    await actAsync(() => renderWithStore(<App />, makeState({ discovered, status }), fake.api));
    expect(screen.getByTestId('discovered-source').textContent).toBe(
      'Hosted by LANrage on this PC',
    );
    const item = screen.getByTestId('discovered-party');
    expect(item.getAttribute('data-party-id')).toBe('party_lan');
    expect(item.textContent).toContain('LAN Night');
    await actAsync(() => fireEvent.click(item.querySelector('button')!));
    expect(fake.calls.find((c) => c.channel === 'joinParty')?.request).toEqual({
      invite: 'party_lan',
    });
    expect(screen.getByTestId('party-id').textContent).toBe('party_lan');
  });

  it('leaves the party with the Leave button', async () => {
    const fake = fakeApi({ leaveParty: () => ({ ok: true, value: null }) });
    renderWithStore(<App />, makeState({ party: makeParty('alice') }), fake.api);
    await actAsync(() => fireEvent.click(screen.getByTestId('leave-party')));
    expect(fake.calls.map((c) => c.channel)).toContain('leaveParty');
    expect(screen.queryByTestId('party-view')).toBeNull();
  });

  it('copy button puts the party ID on the clipboard', async () => {
    const copied: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: (text: string) => (copied.push(text), Promise.resolve()) },
    });
    renderWithStore(<App />, makeState({ party: makeParty('alice') }));
    await actAsync(() => fireEvent.click(screen.getByTestId('copy-party-id')));
    expect(copied).toEqual(['party_abc123']);
    expect(screen.getByText('Copied!')).toBeTruthy();
  });
});
