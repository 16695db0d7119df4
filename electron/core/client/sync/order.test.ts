import { describe, expect, it } from 'vitest';
import { EventOrder, Verdict } from './order';

describe('EventOrder', () => {
  it('applies each event once and in order after a snapshot, and spots a gap', () => {
    const order = new EventOrder();
    expect(order.snapshot('p', 4)).toBe(Verdict.APPLY);
    // A push the snapshot already covered (the race of a resync answer and a push).
    expect(order.event('p', 4)).toBe(Verdict.DROP);
    expect(order.event('p', 3)).toBe(Verdict.DROP);
    expect(order.event('p', 5)).toBe(Verdict.APPLY);
    expect(order.event('p', 5)).toBe(Verdict.DROP);
    expect(order.event('p', 7)).toBe(Verdict.GAP);
    expect(order.appliedOf('p')).toBe(5);
    // Parties are numbered apart.
    expect(order.event('q', 1)).toBe(Verdict.APPLY);
  });

  it('drops a snapshot older than what was applied, except the answer to our own join', () => {
    const order = new EventOrder();
    order.snapshot('p', 10);
    expect(order.snapshot('p', 9)).toBe(Verdict.DROP);
    expect(order.appliedOf('p')).toBe(10);
    expect(order.snapshot('p', 12)).toBe(Verdict.APPLY);
    // A party re-created on the server numbers from the start again.
    expect(order.snapshot('p', 1, true)).toBe(Verdict.APPLY);
    expect(order.event('p', 2)).toBe(Verdict.APPLY);
  });

  it('skips the events our own answers covered, even when the answer comes first', () => {
    const order = new EventOrder();
    order.snapshot('p', 1);
    order.answered('p', 2);
    expect(order.appliedOf('p')).toBe(2);
    expect(order.event('p', 3)).toBe(Verdict.APPLY);
    // Answer for 5 before event 4 arrived (another instance's fan-out is slower).
    order.answered('p', 5);
    expect(order.appliedOf('p')).toBe(3);
    expect(order.event('p', 4)).toBe(Verdict.APPLY);
    expect(order.appliedOf('p')).toBe(5);
    expect(order.event('p', 5)).toBe(Verdict.DROP);
    expect(order.event('p', 6)).toBe(Verdict.APPLY);
  });

  it('applies what comes before the first snapshot, and asks again if the snapshot is older', () => {
    const order = new EventOrder();
    expect(order.event('p', 8)).toBe(Verdict.APPLY);
    expect(order.snapshot('p', 7)).toBe(Verdict.GAP);
    expect(order.appliedOf('p')).toBe(7);
    expect(order.snapshot('p', 8)).toBe(Verdict.APPLY);
    order.reset();
    expect(order.appliedOf('p')).toBeNull();
  });

  it('applies events without numbers (an older server) as they come', () => {
    const order = new EventOrder();
    order.snapshot('p', undefined);
    expect(order.event('p', undefined)).toBe(Verdict.APPLY);
    expect(order.event('p', undefined)).toBe(Verdict.APPLY);
  });
});
