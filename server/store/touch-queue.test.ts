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
    q.markDue();
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
    q.markDue();
    expect(q.take(4).map((t) => t.peerId)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(q.size).toBe(2);
    expect(q.take(4).map((t) => t.peerId)).toEqual(['m4', 'x']);
    expect(q.take(4)).toEqual([]);
  });

  it('takes nothing until touches fall due, and only those recorded before', () => {
    const q = new TouchQueue();
    q.record('p', 'a', 1000);
    expect(q.dueSize).toBe(0);
    expect(q.take(10)).toEqual([]);
    q.markDue();
    expect(q.take(1)).toEqual([{ partyId: 'p', peerId: 'a', lastSeen: at(1000) }]);
    // a beats again right after its touch was taken, b for the first time: next period's.
    q.record('p', 'a', 2000);
    q.record('p', 'b', 2000);
    expect(q.dueSize).toBe(0);
    expect(q.take(10)).toEqual([]);
    expect(q.size).toBe(2);
    q.markDue();
    expect(q.take(10).map((t) => t.peerId)).toEqual(['a', 'b']);
  });

  it('writes a due member with its newest time when it beats before being taken', () => {
    const q = new TouchQueue();
    q.record('p', 'a', 1000);
    q.record('p', 'b', 1000);
    q.markDue();
    q.record('p', 'b', 3000);
    expect(q.size).toBe(2);
    expect(q.take(10)).toEqual([
      { partyId: 'p', peerId: 'a', lastSeen: at(1000) },
      { partyId: 'p', peerId: 'b', lastSeen: at(3000) },
    ]);
    expect(q.size).toBe(0);
  });

  it('adds the next period to touches still due, once per member', () => {
    const q = new TouchQueue();
    q.record('p', 'a', 1000);
    q.record('p', 'b', 1000);
    q.markDue();
    expect(q.take(1).map((t) => t.peerId)).toEqual(['a']);
    q.record('p', 'a', 2000);
    q.record('p', 'c', 2000);
    q.markDue();
    expect(q.dueSize).toBe(3);
    expect(q.take(10)).toEqual([
      { partyId: 'p', peerId: 'b', lastSeen: at(1000) },
      { partyId: 'p', peerId: 'a', lastSeen: at(2000) },
      { partyId: 'p', peerId: 'c', lastSeen: at(2000) },
    ]);
  });

  it('restores what a failed write took as due, without overwriting a newer touch', () => {
    const q = new TouchQueue();
    q.record('p', 'a', 1000);
    q.record('p', 'b', 1000);
    q.markDue();
    const taken = q.take(10);
    q.record('p', 'a', 3000);
    q.restore(taken);
    expect(q.take(10)).toEqual([{ partyId: 'p', peerId: 'b', lastSeen: at(1000) }]);
    q.markDue();
    expect(q.take(10)).toEqual([{ partyId: 'p', peerId: 'a', lastSeen: at(3000) }]);
  });
});
