// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../../../shared/status';
import { makeParty, makeState, makeStatus } from '../../test-util/fixtures';
import { renderWithStore } from '../../test-util/render';
import { LeaveDialog } from './LeaveDialog';

afterEach(cleanup);

/** Alice, host of a party with Bob, opens Leave. */
function leaveWith(status: ConnectionStatus): HTMLElement | null {
  renderWithStore(<LeaveDialog />, makeState({ status, party: makeParty('alice', ['bob']) }));
  expect(screen.getByTestId('leave-hand-over')).toBeTruthy();
  return screen.queryByTestId('leave-hand-over-note');
}

describe('LeaveDialog: hand-over without a server', () => {
  it('says the party stays on this PC until LANrage quits, when this app serves it', () => {
    const note = leaveWith(makeStatus({ state: 'local', serverUrl: null }));
    expect(note?.textContent).toBe(
      'The party keeps running on this PC until you quit LANrage: quitting ends it for everyone.',
    );
  });

  it('says nothing of it with a server, or when another app serves the party', () => {
    expect(leaveWith(makeStatus({ state: 'connected' }))).toBeNull();
    cleanup();
    // Handed to me: it runs on the app that made it; my quitting does not end it.
    const elsewhere = makeStatus({ state: 'local', serverUrl: null, hostAddress: '10.0.0.5' });
    expect(leaveWith(elsewhere)).toBeNull();
  });
});
