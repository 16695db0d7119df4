import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../../shared/protocol/protocol';
import { EarlyPushes } from './early-pushes';

const push = (seq: number): ServerMessage => ({
  type: 'peer_left',
  party_id: 'party_p',
  peer_id: `p${seq}`,
  seq,
});

const signal = (n: number): ServerMessage => ({
  type: 'signal',
  party_id: 'party_p',
  from_peer_id: 'a',
  to_peer_id: 'b',
  signal_data: { n },
});

const snapshot = (seq: number): ServerMessage => ({
  type: 'party_update',
  party: { party_id: 'party_p', name: 'P', host_id: 'h', created_at: new Date(0), peers: {} },
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

  it('a snapshot replaces the numbered pushes held before it; signals stay, in order', () => {
    const early = new EarlyPushes<null>();
    early.expect('party_p');
    for (const m of [push(1), signal(1), snapshot(2), push(3), snapshot(4), push(5)])
      expect(early.hold('party_p', m, null)).toBe(true);
    expect(early.take('party_p').map(([m]) => m)).toEqual([signal(1), snapshot(4), push(5)]);
  });

  it('holds at most 16 signals (a snapshot covers none), and numbered pushes beside them', () => {
    const early = new EarlyPushes<null>();
    early.expect('party_p');
    let held = 0;
    for (let i = 0; i < 100; i++) if (early.hold('party_p', signal(i), null)) held++;
    expect(held).toBe(16);
    expect(early.hold('party_p', push(1), null)).toBe(true);
    expect(early.take('party_p')).toHaveLength(17);
  });
});
