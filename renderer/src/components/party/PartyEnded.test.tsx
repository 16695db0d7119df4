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
  // electron/core/notifications/party-activity.ts's words, one per reason (host_silent by name).
  it.each([
    ['closed_by_host', 'The host ended the party'],
    ['host_left', 'The host left, so the party ended'],
    ['host_silent', 'Alice stopped answering, so the party ended: their PC may have crashed'],
    ['kicked', 'The host removed you from the party'],
    ['banned', 'The host removed you from the party and banned you'],
  ])('%s: the name as the title, the reason a sentence of its own under it', (reason, message) => {
    renderWithStore(<PartyEnded />, makeState({ ended: ended(reason, message) }));
    const title = screen.getByTitle('Strict Night');
    // A block of its own (names.css's name-clamp): no "ended:" or ":" glued to the reason.
    expect(title.className).toBe('name-clamp');
    expect(screen.getByRole('alert').textContent).toBe(`Strict Night${message}.Dismiss`);
  });

  it('a message that ends with a full stop gets no second one', () => {
    const message = 'The host banned you from this party.';
    renderWithStore(<PartyEnded />, makeState({ ended: ended('banned', message) }));
    expect(screen.getByTestId('party-ended-reason').textContent).toBe(message);
    expect(screen.getByRole('alert').textContent).toBe(`Strict Night${message}Dismiss`);
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
