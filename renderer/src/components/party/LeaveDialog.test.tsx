// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PresenceMap } from '../../../../shared/presence';
import type { ConnectionStatus } from '../../../../shared/status';
import { iso, makeParty, makeState, makeStatus, T0 } from '../../test-util/fixtures';
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

describe('LeaveDialog: whom it hands over to by default', () => {
  const online = { status: 'online' as const, last_seen: iso(T0), rtt_ms: 5 };
  const offline = { status: 'offline' as const, last_seen: iso(T0), rtt_ms: null };

  /** Alice hosts; Bob joined, then Cid, then a member with the integer-like id "42". */
  function defaultHeir(presence: PresenceMap): string | null {
    const party = makeParty('alice', ['bob', 'cid', '42'], { presence });
    // An object lists "42" first, as every party view's `peers` does: only `arrival` says.
    expect(Object.keys(party.peers)[0]).toBe('42');
    const me = party.peers.alice!;
    renderWithStore(<LeaveDialog />, makeState({ me, party }));
    return screen.getByTestId('leave-hand-over').closest('label')!.textContent;
  }

  it('is whom the server would make host: the longest present online member, not "42"', () => {
    expect(defaultHeir({ alice: online, bob: online, cid: online, 42: online })).toBe(
      'Hand over to Bob',
    );
  });

  it('passes over members offline and of unknown presence, as the server does', () => {
    expect(defaultHeir({ alice: online, cid: online, 42: online })).toBe('Hand over to Cid');
    cleanup();
    expect(defaultHeir({ alice: online, bob: offline, cid: offline, 42: online })).toBe(
      'Hand over to 42',
    );
  });
});
