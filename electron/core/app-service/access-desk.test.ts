/**
 * The access desk against a control server that lies about join requests: for a party I
 * am a guest in, and more of them than any server lets wait.
 */
import { describe, expect, it } from 'vitest';
import type { PartyView, StateEvent } from '../../../shared/ipc/app-state';
import type { NotificationIntent } from './types';
import { MAX_PENDING_PER_PARTY } from '../../../shared/access/rules';
import { AccessDesk, type AccessHost } from './access-handlers';

const NOW = Date.UTC(2026, 0, 29, 12);

function desk(hostId: string) {
  const notified: NotificationIntent[] = [];
  const emitted: StateEvent[] = [];
  const party = { party_id: 'p1', name: 'Door', host_id: hostId } as PartyView;
  const host = {
    party: () => party,
    myPeerId: () => 'me',
    serverNow: () => NOW,
    emit: (event: StateEvent) => emitted.push(event),
    notify: (intent: NotificationIntent) => notified.push(intent),
  } as unknown as AccessHost;
  return { desk: new AccessDesk(host), notified, emitted };
}

const request = (peerId: string, expiresAt = NOW + 60_000) => ({
  kind: 'join_request' as const,
  partyId: 'p1',
  request: {
    peer_id: peerId,
    name: `Ann ${peerId}`,
    key_fingerprint: null,
    expires_at: new Date(expiresAt).toISOString(),
  },
});

describe('join requests from the server', () => {
  it('as the host: shown and alerted once', () => {
    const { desk: d, notified } = desk('me');
    expect(d.onChange(request('a'), () => null)).toBe(true);
    d.onChange(request('a'), () => null);
    expect(d.joinRequests.map((r) => r.peer_id)).toEqual(['a']);
    expect(notified).toEqual([{ title: 'Door', body: 'Ann a asks to join' }]);
  });

  it('as a guest: neither shown nor alerted (only the host is asked)', () => {
    const { desk: d, notified, emitted } = desk('someone-else');
    expect(d.onChange(request('a'), () => null)).toBe(true);
    expect(d.joinRequests).toEqual([]);
    expect(notified).toEqual([]);
    expect(emitted).toEqual([]);
  });

  it('keeps no more than a server lets wait, and drops the expired ones', () => {
    const { desk: d, notified } = desk('me');
    d.onChange(request('old', NOW - 1), () => null);
    for (let i = 0; i < 1000; i++) d.onChange(request(`x${i}`), () => null);
    expect(d.joinRequests).toHaveLength(MAX_PENDING_PER_PARTY);
    expect(d.joinRequests[0]!.peer_id).toBe('x0');
    expect(notified).toHaveLength(MAX_PENDING_PER_PARTY);
    // The one in the list that left and came back is still updated in its place.
    d.onChange({ ...request('x3'), request: { ...request('x3').request, away: true } }, () => null);
    expect(d.joinRequests[3]).toMatchObject({ peer_id: 'x3', away: true });
  });
});
