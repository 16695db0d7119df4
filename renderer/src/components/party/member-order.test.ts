import { describe, expect, it } from 'vitest';
import type { PeerView } from '../../../../shared/ipc/app-state';
import { makePeer } from '../../test-util/fixtures';
import { sortMemberIds } from './member-order';

function peers(...list: PeerView[]): Record<string, PeerView> {
  return Object.fromEntries(list.map((p) => [p.peer_id, p]));
}

describe('sortMemberIds', () => {
  it('host first, then online members, then offline ones, each by name', () => {
    const list = peers(
      makePeer('p1', { name: 'zed' }),
      makePeer('p2', { name: 'Amy' }),
      makePeer('host', { name: 'Yves' }),
      makePeer('p3', { name: 'bob' }),
      makePeer('p4', { name: 'Carl' }),
    );
    const offline = new Set(['p2', 'host']);
    const order = sortMemberIds(list, 'host', (p) => !offline.has(p.peer_id));
    expect(order).toEqual(['host', 'p3', 'p4', 'p1', 'p2']);
  });

  it('compares names without case or accents and numbers by value; ties by peer id', () => {
    const list = peers(
      makePeer('b', { name: 'Player 10' }),
      makePeer('a', { name: 'player 2' }),
      makePeer('d', { name: 'Élodie' }),
      makePeer('c', { name: 'elodie' }),
    );
    expect(sortMemberIds(list, 'none', () => true)).toEqual(['c', 'd', 'a', 'b']);
  });

  it('a host missing from the peers does not break the order', () => {
    const list = peers(makePeer('b', { name: 'B' }), makePeer('a', { name: 'A' }));
    expect(sortMemberIds(list, 'gone', () => true)).toEqual(['a', 'b']);
  });
});
