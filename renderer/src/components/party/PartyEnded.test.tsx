// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { makeState } from '../../test-util/fixtures';
import { renderWithStore } from '../../test-util/render';
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
});
