import { describe, expect, it } from 'vitest';
import { sleep, systemClock } from './clock';

describe('systemClock', () => {
  it('reports real time and runs real (unref’d) timers', async () => {
    const before = Date.now();
    expect(Math.abs(systemClock.now() - before)).toBeLessThan(1000);
    // Under Node (where the app's main process and the server run) the timer is unref'd.
    const handle = systemClock.setTimeout(() => undefined, 10_000) as { hasRef(): boolean };
    expect(handle.hasRef()).toBe(false);
    systemClock.clearTimeout(handle);
    await sleep(systemClock, 5);
  });
});
