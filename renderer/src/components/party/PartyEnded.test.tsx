// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, makeState } from '../../test-util/fixtures';
import { actAsync, renderWithStore } from '../../test-util/render';
import { App } from '../App';
import { PartyEnded } from './PartyEnded';

afterEach(cleanup);

const ended = (reason: string, message: string) => ({
  party_name: 'Strict Night',
  reason,
  message,
  at: '2026-12-01T12:00:00Z',
});

describe('PartyEnded', () => {
  it('says a party ended, and why', () => {
    renderWithStore(<PartyEnded />, makeState({ ended: ended('host_left', 'the host left') }));
    expect(screen.getByRole('alert').textContent).toBe('Strict Night ended: the host left.Dismiss');
  });

  it.each([
    ['kicked', 'The host removed you from the party.'],
    ['banned', 'The host banned you from this party.'],
  ])('a member put out (%s) reads that the party goes on without them', (reason, message) => {
    renderWithStore(<PartyEnded />, makeState({ ended: ended(reason, message) }));
    expect(screen.getByRole('alert').textContent).toBe(`Strict Night: ${message}Dismiss`);
  });

  it('a message as the app sends it, without a full stop, gets one (kicked read as unfinished)', () => {
    // electron/core/notifications/party-activity.ts's words for a kick.
    const message = 'The host removed you from the party';
    renderWithStore(<PartyEnded />, makeState({ ended: ended('kicked', message) }));
    expect(screen.getByRole('alert').textContent).toBe(`Strict Night: ${message}.Dismiss`);
  });

  it('Dismiss hands focus to the home heading, not to <body>', async () => {
    const fake = fakeApi({ dismissEnded: () => ({ ok: true, value: null }) });
    const state = makeState({ ended: ended('kicked', 'The host removed you from the party.') });
    renderWithStore(<App />, state, fake.api);
    screen.getByTestId('dismiss-ended').focus();
    await actAsync(() => fireEvent.click(screen.getByTestId('dismiss-ended')));
    expect(screen.queryByTestId('party-ended')).toBeNull();
    expect(document.activeElement).toBe(screen.getByText('Host or join a party'));
  });
});
