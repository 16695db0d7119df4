import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../../shared/protocol';
import { EarlyPushes } from './early-pushes';

const push = (seq: number): ServerMessage => ({
  type: 'peer_left',
  party_id: 'party_p',
  peer_id: `p${seq}`,
  seq,
});

describe('EarlyPushes', () => {
  it('holds pushes only for a party being entered, and gives them back in order once', () => {
    const early = new EarlyPushes<null>();
    expect(early.hold('party_p', push(1), null)).toBe(false);
    early.expect('party_p');
    expect(early.hold('party_p', push(1), null)).toBe(true);
    expect(early.hold('party_p', push(2), null)).toBe(true);
    expect(early.hold('party_q', push(3), null)).toBe(false);
    expect(early.take('party_p').map(([m]) => m)).toEqual([push(1), push(2)]);
    expect(early.take('party_p')).toEqual([]);
    expect(early.hold('party_p', push(4), null)).toBe(false);
  });

  it('holds at most 256 per party; a new connection drops what the old one numbered', () => {
    const early = new EarlyPushes<null>();
    early.expect('party_p');
    let held = 0;
    for (let i = 0; i < 300; i++) if (early.hold('party_p', push(i), null)) held++;
    expect(held).toBe(256);
    early.clear();
    expect(early.hold('party_p', push(1), null)).toBe(true);
    expect(early.take('party_p')).toHaveLength(1);
  });
});
