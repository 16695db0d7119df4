// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveredParty, InvitePreview } from '../../../../shared/ipc/app-state';
import { previewOf } from '../../../../shared/ipc/invite-preview';
import { refusalSentence } from '../../../../shared/protocol/refusals';
import { fakeApi, makeParty, makeState, makeStatus } from '../../test-util/fixtures';
import { actAsync, renderWithStore } from '../../test-util/render';
import { App } from '../App';

afterEach(cleanup);

const summary = {
  party_id: 'party_abc123',
  name: 'Secret Night',
  host_name: 'Bob',
  peer_count: 2,
  max_peers: 8,
  join_policy: 'password' as const,
  visibility: 'private' as const,
  locked: false,
};
const preview = (changes: Partial<InvitePreview> = {}): InvitePreview => ({
  ...previewOf('party_abc123', summary),
  ...changes,
});

function submit() {
  fireEvent.submit(screen.getByTestId('join-submit').closest('form')!);
}

describe('joining a party that asks for a password', () => {
  it('shows the password field once the party says so, focused, and sends what is typed', async () => {
    let answer = {
      ok: false as const,
      error: { code: 'password_required' as const, message: refusalSentence('password_required') },
    };
    const fake = fakeApi({ joinParty: () => answer });
    renderWithStore(<App />, makeState(), fake.api);
    fireEvent.click(screen.getByTestId('open-join-dialog'));
    expect(screen.queryByTestId('join-password')).toBeNull();
    fireEvent.change(screen.getByTestId('join-input'), { target: { value: 'party_abc123' } });
    await actAsync(submit);
    expect(screen.getByTestId('join-error').textContent).toBe(refusalSentence('password_required'));
    const password = screen.getByTestId('join-password');
    expect(document.activeElement).toBe(password);
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('join-input').getAttribute('aria-invalid')).toBeNull();

    answer = {
      ok: false,
      error: { code: 'wrong_password' as never, message: refusalSentence('wrong_password') },
    };
    fireEvent.change(password, { target: { value: 'nope' } });
    expect(screen.queryByTestId('join-error')).toBeNull();
    await actAsync(submit);
    expect(screen.getByTestId('join-error').textContent).toBe(refusalSentence('wrong_password'));
    expect(fake.calls.map((c) => c.request)).toEqual([
      { invite: 'party_abc123' },
      { invite: 'party_abc123', password: 'nope' },
    ]);
  });

  it('too many wrong passwords: neither field is marked wrong, focus stays on the password', async () => {
    const message = 'Too many wrong passwords: try again in 23 s';
    const fake = fakeApi({
      joinParty: () => ({ ok: false, error: { code: 'unreachable', message } }),
    });
    renderWithStore(<App />, makeState({ invite: preview() }), fake.api);
    const password = screen.getByTestId('join-password');
    fireEvent.change(password, { target: { value: 'guess' } });
    await actAsync(submit);
    expect(screen.getByTestId('join-error').textContent).toBe(message);
    expect(document.activeElement).toBe(password);
    expect(password.getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByTestId('join-input').getAttribute('aria-invalid')).toBeNull();
  });

  it('asks up front when an invite link leads to a password party, but not when the link carries an invite', () => {
    renderWithStore(<App />, makeState({ invite: preview() }));
    // The party is filled in: focus is where the user types next, not in the ID.
    expect(document.activeElement).toBe(screen.getByTestId('join-password'));
    cleanup();
    const token = 'k7m2p9q4rsk7m2p9q4rsk7';
    renderWithStore(<App />, makeState({ invite: preview({ invite_token: token }) }));
    expect(screen.queryByTestId('join-password')).toBeNull();
    expect(screen.getByTestId<HTMLInputElement>('join-input').value).toBe(
      `lanrage://join/party_abc123?invite=${token}`,
    );
  });
});

describe('joining a password party picked under “Parties nearby”', () => {
  const nearby = (name: string, joinPolicy: DiscoveredParty['join_policy']): DiscoveredParty => ({
    party_id: `party_${joinPolicy ?? 'untold'}`,
    name,
    host_name: 'Bob',
    peer_count: 1,
    max_peers: 8,
    join_policy: joinPolicy,
    online_count: 1,
    created_at: null,
    where: 'lan',
    address: '192.168.1.20',
    contested: false,
    host_pin: null,
  });

  async function pick(party: DiscoveredParty) {
    const fake = fakeApi({
      joinParty: () => ({ ok: false, error: { code: 'unreachable', message: 'x' } }),
    });
    const status = makeStatus({ state: 'local', serverUrl: null });
    await actAsync(() =>
      renderWithStore(<App />, makeState({ discovered: [party], status }), fake.api),
    );
    await actAsync(() =>
      fireEvent.click(screen.getByRole('button', { name: `Join ${party.name}` })),
    );
    return fake;
  }

  it('asks for the password at once, and sends it with the first try', async () => {
    const fake = await pick(nearby('Secret Night', 'password'));
    expect(screen.getByTestId('nearby-password').textContent).toBe('password · ');
    const password = screen.getByTestId('join-password');
    fireEvent.change(password, { target: { value: 'hunter22' } });
    await actAsync(submit);
    expect(fake.calls.find((c) => c.channel === 'joinParty')?.request).toEqual({
      invite: 'party_password',
      password: 'hunter22',
    });
  });

  it('does not ask where the host told no policy, or another one', async () => {
    for (const policy of [null, 'approval'] as const) {
      await pick(nearby('Plain Night', policy));
      expect(screen.queryByTestId('nearby-password')).toBeNull();
      expect(screen.queryByTestId('join-password')).toBeNull();
      cleanup();
    }
  });
});

describe('waiting for the host', () => {
  const pending = {
    party_id: 'party_abc123',
    party_name: 'Approved Only',
    expires_at: '2026-12-01T12:02:00Z',
  };

  it('without a name yet, the wait says so without one', () => {
    const unnamed = { ...pending, party_name: null };
    renderWithStore(<App />, makeState({ pending_join: unnamed }), fakeApi({}).api);
    expect(screen.getByTestId('join-waiting').textContent).toContain(
      'Waiting for the host to let you in...',
    );
  });

  it('says so in plain words while the join waits; Cancel withdraws it and closes', async () => {
    const fake = fakeApi({ cancelJoin: () => ({ ok: true, value: null }) });
    const { store } = renderWithStore(<App />, makeState({ pending_join: pending }), fake.api);
    expect(screen.getByTestId('join-waiting').textContent).toContain(
      'Waiting for the host of Approved Only to let you in...',
    );
    expect(
      screen.getByTestId('join-waiting').querySelector('[role="status"]')?.textContent,
    ).toContain('Waiting for the host');
    await actAsync(() => fireEvent.click(screen.getByTestId('join-cancel-wait')));
    expect(fake.calls.map((c) => c.channel)).toEqual(['cancelJoin']);
    store.getState().applyEvent({ type: 'pending_join', pending_join: null });
    await actAsync(() => undefined);
    expect(screen.queryByTestId('join-dialog')).toBeNull();
  });

  it('the wait takes focus from the form it replaces (not <body>), and is read out', async () => {
    const fake = fakeApi({ joinParty: () => new Promise(() => undefined) });
    const { store } = renderWithStore(<App />, makeState(), fake.api);
    fireEvent.click(screen.getByTestId('open-join-dialog'));
    const input = screen.getByTestId('join-input');
    fireEvent.change(input, { target: { value: 'party_abc123' } });
    input.focus();
    await actAsync(submit);
    await actAsync(() =>
      store.getState().applyEvent({ type: 'pending_join', pending_join: pending }),
    );
    const status = screen.getByTestId('join-waiting').querySelector('[role="status"]');
    expect(document.activeElement).toBe(status);
    expect(status?.textContent).toContain('Waiting for the host of Approved Only');
  });

  it('a dialog that opens waiting (LANrage restarted mid-request) focuses the wait too', () => {
    renderWithStore(<App />, makeState({ pending_join: pending }), fakeApi({}).api);
    const status = screen.getByTestId('join-waiting').querySelector('[role="status"]');
    expect(document.activeElement).toBe(status);
  });

  it('shows the party once the host accepts', async () => {
    const { store } = renderWithStore(<App />, makeState({ pending_join: pending }));
    await actAsync(() => {
      store.getState().applyEvent({ type: 'pending_join', pending_join: null });
      store.getState().applyEvent({ type: 'party', party: makeParty('bob', ['alice']) });
    });
    expect(screen.getByTestId('party-view')).toBeTruthy();
    expect(screen.queryByTestId('join-dialog')).toBeNull();
  });
});

describe('refused after waiting', () => {
  it('the form comes back with what was typed, so Join asks again', async () => {
    const pending = {
      party_id: 'party_abc123',
      party_name: 'Approved Only',
      expires_at: '2026-12-01T12:02:00Z',
    };
    const { store } = renderWithStore(<App />, makeState(), fakeApi({}).api);
    fireEvent.click(screen.getByTestId('open-join-dialog'));
    fireEvent.change(screen.getByTestId('join-input'), { target: { value: 'party_abc123' } });
    await actAsync(() =>
      store.getState().applyEvent({ type: 'pending_join', pending_join: pending }),
    );
    expect(screen.getByTestId('join-waiting')).toBeTruthy();
    await actAsync(() => store.getState().applyEvent({ type: 'pending_join', pending_join: null }));
    expect(screen.getByTestId<HTMLInputElement>('join-input').value).toBe('party_abc123');
  });
});
