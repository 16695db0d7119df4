import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logger';
import { ManualClock } from './test-util/manual-clock';
import { PlaneTimers, WAKE_CHECK_MS } from './plane-timers';

function timersCounting(clock: ManualClock) {
  const runs = { heartbeat: 0 };
  const timers = new PlaneTimers(clock, silentLogger, {
    heartbeat: () => Promise.resolve(void runs.heartbeat++),
  });
  timers.start(30_000);
  return { runs, timers };
}

describe('PlaneTimers', () => {
  it('beats on its interval, and nothing more while the PC runs', async () => {
    const clock = new ManualClock();
    const { runs, timers } = timersCounting(clock);
    await clock.advance(29_000);
    expect(runs.heartbeat).toBe(0);
    await clock.advance(1000);
    expect(runs.heartbeat).toBe(1);
    await clock.advance(60_000);
    expect(runs).toEqual({ heartbeat: 3 });
    timers.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('beats at once when the PC wakes, not an interval later', async () => {
    const clock = new ManualClock();
    const { runs, timers } = timersCounting(clock);
    await clock.advance(2000);
    clock.suspend(10 * 60_000);
    await clock.advance(WAKE_CHECK_MS);
    expect(runs.heartbeat).toBe(1);
    // The heartbeat timer keeps its own schedule (due 30 s after it started, awake).
    await clock.advance(30_000 - 2000 - WAKE_CHECK_MS);
    expect(runs.heartbeat).toBe(2);
    timers.stop();
  });
});
