import { describe, expect, it } from 'vitest';
import { AdminGate, FAILURE_REFILL_MS, FREE_FAILURES, MAX_TRACKED } from './admin-gate';

const SECRET = 's'.repeat(40);
const wrong = 'Bearer nope';

function gate() {
  const clock = { ms: 0 };
  return { gate: new AdminGate(SECRET, () => clock.ms), clock };
}

/** Wrong tries from `address` until it is told to wait; how many were taken. */
function triesUntilThrottled(g: AdminGate, address: string): number {
  let tries = 0;
  while (g.waitSeconds(address) === 0 && tries < 100) {
    g.check(wrong, address);
    tries++;
  }
  return tries;
}

describe('AdminGate', () => {
  it(`gives an address ${FREE_FAILURES} wrong tries, then one per refill; the secret still admits`, () => {
    const { gate: g, clock } = gate();
    expect(triesUntilThrottled(g, '10.0.0.1')).toBe(FREE_FAILURES);
    expect(g.waitSeconds('10.0.0.1')).toBe(FAILURE_REFILL_MS / 1000);
    clock.ms += FAILURE_REFILL_MS;
    expect(triesUntilThrottled(g, '10.0.0.1')).toBe(1);
    expect(g.check(`Bearer ${SECRET}`, '10.0.0.1')).toEqual({ admitted: true });
  });

  // Checked after the count, one wrong token every 10 s from the operator's address (a NAT,
  // a proxy) kept the operator out.
  it('the secret admits an address whose count is spent; wrong tries are told to wait', () => {
    const { gate: g, clock } = gate();
    expect(triesUntilThrottled(g, '10.0.0.1')).toBe(FREE_FAILURES);
    expect(g.check(`Bearer ${SECRET}`, '10.0.0.1')).toEqual({ admitted: true });
    expect(g.check(wrong, '10.0.0.1')).toEqual({
      admitted: false,
      key: '10.0.0.1',
      waitSeconds: FAILURE_REFILL_MS / 1000,
    });
    // Refused while waiting, a wrong try does not count again: one more after the refill.
    for (let i = 0; i < 10; i++) g.check(wrong, '10.0.0.1');
    clock.ms += FAILURE_REFILL_MS;
    expect(triesUntilThrottled(g, '10.0.0.1')).toBe(1);
    expect(g.check(`Bearer ${SECRET}`, '10.0.0.1')).toEqual({ admitted: true });
  });

  it('a table full of running counts: every new address shares one count, not fresh tries each', () => {
    const { gate: g, clock } = gate();
    // MAX_TRACKED addresses, each throttled (its count running).
    for (let i = 0; i < MAX_TRACKED; i++) {
      const address = `2001:db8:${(i >> 16) & 0xffff}:${i & 0xffff}::1`;
      for (let k = 0; k < FREE_FAILURES; k++) g.check(wrong, address);
    }
    clock.ms += 1; // still running: nothing refilled
    const newcomers = Array.from({ length: 20 }, (_, i) => `10.1.0.${i + 1}`);
    let tries = 0;
    for (const address of newcomers) tries += triesUntilThrottled(g, address);
    expect(tries).toBe(FREE_FAILURES);
    // Once counts refill, they are forgotten and a newcomer has its own count again.
    clock.ms += FAILURE_REFILL_MS * FREE_FAILURES;
    expect(triesUntilThrottled(g, '10.2.0.1')).toBe(FREE_FAILURES);
    // Its own: the next newcomer's count is not the one it just spent.
    expect(triesUntilThrottled(g, '10.2.0.2')).toBe(FREE_FAILURES);
  });
});
