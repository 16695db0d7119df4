/**
 * A `party_closed` reason from the server reaches the UI as the server gave it when the app
 * knows it, and as the host leaving when it does not (a reason newer than this app).
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../shared/logger';
import type { PartyInfo } from '../../../../shared/model';
import type { Transition } from '../../../../shared/party/events';
import { createParty } from '../../../../shared/party/transitions';
import { makePeer } from '../../test-util/fixtures';
import { closeParty, type PushTarget } from './push';

function target(): { target: PushTarget; committed: Transition[] } {
  const party = createParty('p', 'Night', makePeer('me'), new Date(0)).party!;
  const committed: Transition[] = [];
  const parties = new Map<string, PartyInfo>([['p', party]]);
  return {
    committed,
    target: {
      parties,
      memberOf: new Set(['p']),
      logger: silentLogger,
      commit: (_id, t) => void committed.push(t),
      emitChange: () => undefined,
      setPresence: () => undefined,
    },
  };
}

describe('party_closed from the server', () => {
  it.each([
    ['ended_by_server', 'ended_by_server'],
    ['closed_by_host', 'closed_by_host'],
    ['a_reason_from_a_newer_server', 'host_left'],
    [undefined, 'host_left'],
  ])('reason %s is told as %s', (reason, told) => {
    const { target: t, committed } = target();
    closeParty(t, 'p', reason);
    expect(committed).toEqual([
      { party: null, events: [{ type: 'party_closed', partyId: 'p', reason: told }] },
    ]);
  });
});
