import { describe, expect, it } from 'vitest';
import { RecurringFault } from './notices';

describe('RecurringFault', () => {
  it('tells a fault once while it recurs, and again once it recurs after a success', () => {
    const told: string[] = [];
    const fault = new RecurringFault((m) => told.push(m));
    fault.tell('disk full');
    fault.tell('disk full');
    fault.tell('still full');
    expect(told).toEqual(['disk full']);
    fault.cleared();
    fault.tell('full again');
    expect(told).toEqual(['disk full', 'full again']);
  });
});
