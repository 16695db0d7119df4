import { describe, expect, it } from 'vitest';
import { PresenceStatus } from '../presence';
import { successorOrder } from './successors';

const { ONLINE, OFFLINE } = PresenceStatus;

describe('successorOrder: who takes over as host', () => {
  it('is the online members in the order they came in, whatever their ids', () => {
    const status: Record<string, PresenceStatus> = { bob: ONLINE, '42': ONLINE, cid: ONLINE };
    expect(successorOrder(['bob', 'cid', '42'], (id) => status[id])).toEqual(['bob', 'cid', '42']);
  });

  it('passes over members offline or of unknown presence: they may not be there to take over', () => {
    const status: Record<string, PresenceStatus> = { bob: OFFLINE, '42': ONLINE };
    expect(successorOrder(['bob', 'ann', '42'], (id) => status[id])).toEqual(['42']);
  });
});
