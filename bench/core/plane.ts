/** The real ControlPlane as the core bench drives it: a movable clock and the sweep exposed. */
import { Config } from '../../electron/core/config/config';
import { ControlPlane } from '../../electron/core/control-plane';
import { silentLogger } from '../../shared/logger';
import { systemClock, type Clock } from '../../shared/clock';

/** A clock that can jump forward, so peers go stale without waiting five minutes. */
export class ShiftedClock implements Clock {
  offset = 0;
  now = (): number => Date.now() + this.offset;
  setTimeout = systemClock.setTimeout;
  clearTimeout = systemClock.clearTimeout;
  setInterval = systemClock.setInterval;
  clearInterval = systemClock.clearInterval;
}

/** Exposes the protected sweep; everything else is the real ControlPlane. */
export class BenchControlPlane extends ControlPlane {
  sweepNow(): Promise<void> {
    return this.cleanup();
  }
}

export function newPlane(home: string, clock: Clock): BenchControlPlane {
  const config = new Config({
    home,
    instance: null,
    peerName: 'bench',
    controlServer: null,
    heartbeatInterval: 30,
    cleanupInterval: 3600,
    peerTimeout: 300,
  });
  return new BenchControlPlane(config, { clock, logger: silentLogger });
}
