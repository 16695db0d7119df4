import { describe, expect, it } from 'vitest';
import { TouchQueue } from './touch-queue';

const at = (ms: number) => new Date(ms);

describe('TouchQueue', () => {
  it('keeps one touch per member, the latest', () => {
    const q = new TouchQueue();
    q.record('p', 'a', 1000);
    q.record('p', 'a', 2000);
    q.record('p', 'b', 1500);
    q.record('q', 'a', 1700);
    expect(q.size).toBe(3);
    expect(q.take(10)).toEqual([
      { partyId: 'p', peerId: 'a', lastSeen: at(2000) },
      { partyId: 'p', peerId: 'b', lastSeen: at(1500) },
      { partyId: 'q', peerId: 'a', lastSeen: at(1700) },
    ]);
    expect(q.size).toBe(0);
  });

  it('takes at most the limit and leaves the rest for the next take', () => {
    const q = new TouchQueue();
    for (let i = 0; i < 5; i++) q.record('p', `m${i}`, i);
    q.record('q', 'x', 9);
    expect(q.take(4).map((t) => t.peerId)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(q.size).toBe(2);
    expect(q.take(4).map((t) => t.peerId)).toEqual(['m4', 'x']);
    expect(q.take(4)).toEqual([]);
  });

  it('restores what a failed write took, without overwriting a newer touch', () => {
    const q = new TouchQueue();
    q.record('p', 'a', 1000);
    q.record('p', 'b', 1000);
    const taken = q.take(10);
    q.record('p', 'a', 3000);
    q.restore(taken);
    expect(q.take(10)).toEqual([
      { partyId: 'p', peerId: 'a', lastSeen: at(3000) },
      { partyId: 'p', peerId: 'b', lastSeen: at(1000) },
    ]);
  });
});
