import { describe, expect, it } from 'vitest';
import { sleep, systemClock } from './scheduler';

describe('systemClock', () => {
  it('reports real time and runs real (unref’d) timers', async () => {
    const before = Date.now();
    expect(Math.abs(systemClock.now() - before)).toBeLessThan(1000);
    const handle = systemClock.setTimeout(() => undefined, 10_000) as NodeJS.Timeout;
    expect(handle.hasRef()).toBe(false);
    systemClock.clearTimeout(handle);
    await sleep(systemClock, 5);
  });
});
