import { describe, expect, it } from 'vitest';
import { ControlPlaneError } from '../../shared/protocol/errors';
import { SENDER_SHARE, SignalBudget } from './signal-budget';

/** The refusal's message, or 'ok'. */
function spend(budget: SignalBudget, from: string, to: string, bytes: number): string {
  try {
    budget.spend(from, to, bytes);
    return 'ok';
  } catch (error) {
    if (!(error instanceof ControlPlaneError)) throw error;
    expect(error.code).toBe('rate_limited');
    return error.message;
  }
}

describe('SignalBudget', () => {
  it('keeps each pair apart: one sender spending its share leaves the others theirs', () => {
    const budget = new SignalBudget(1000, () => 0);
    expect(spend(budget, 'mallory', 'alice', 4000)).toBe('ok');
    expect(spend(budget, 'mallory', 'alice', 1)).toMatch(/sending alice too many signals/);
    expect(spend(budget, 'cid', 'alice', 4000)).toBe('ok');
    expect(spend(budget, 'mallory', 'bob', 4000)).toBe('ok');
  });

  it("refuses a sender past its total without spending the pair's budget", () => {
    const budget = new SignalBudget(1000, () => 0);
    for (let i = 0; i < SENDER_SHARE; i++) expect(spend(budget, 'm', `p${i}`, 4000)).toBe('ok');
    expect(spend(budget, 'm', 'fresh', 4000)).toBe('You are sending too many signals; slow down');
    // Another sender is not affected; the refused pair kept its budget for later.
    expect(spend(budget, 'cid', 'fresh', 4000)).toBe('ok');
  });

  it('refills with time, and forgets pairs and senders once refilled', () => {
    let now = 0;
    const budget = new SignalBudget(1000, () => now);
    expect(spend(budget, 'm', 'a', 4000)).toBe('ok');
    expect(spend(budget, 'c', 'a', 10)).toBe('ok');
    now += 1000;
    expect(spend(budget, 'm', 'a', 1000)).toBe('ok');
    budget.prune();
    // c→a refilled (10 bytes in a second); m→a spent again just now.
    expect(budget.pairCount).toBe(1);
    now += 4000;
    budget.prune();
    expect(budget.pairCount).toBe(0);
    expect(Reflect.get(budget, 'senders')).toHaveProperty('size', 0);
  });

  it('holds at most its bound of pairs, forgetting the one used longest ago', () => {
    const budget = new SignalBudget(1000, () => 0, 3);
    for (const to of ['a', 'b', 'c']) expect(spend(budget, 'm', to, 4000)).toBe('ok');
    // Used again (refused): now the newest, so b goes first.
    expect(spend(budget, 'm', 'a', 1)).toMatch(/too many/);
    expect(spend(budget, 'x', 'd', 1)).toBe('ok');
    expect(budget.pairCount).toBe(3);
    expect(spend(budget, 'm', 'a', 1)).toMatch(/too many/);
    expect(spend(budget, 'm', 'b', 1)).toBe('ok');
  });

  it('0 turns it off', () => {
    const budget = new SignalBudget(0, () => 0);
    for (let i = 0; i < 100; i++) expect(spend(budget, 'm', 'a', 1_000_000)).toBe('ok');
    expect(budget.pairCount).toBe(0);
  });
});
