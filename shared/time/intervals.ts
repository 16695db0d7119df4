/**
 * The one rule for intervals (seconds), for config.json and for what a control server
 * announces in its welcome. A value outside its bounds is clamped, never obeyed: 1e-6 s
 * would mean a heartbeat (and an fsynced write) every microsecond, 1e10 s overflows
 * setInterval (which then fires every millisecond).
 *
 * | interval             | min   | max              | default |
 * | -------------------- | ----- | ---------------- | ------- |
 * | `heartbeat_interval` | 0.1 s | 300 s (5 min)    | 30 s    |
 * | `cleanup_interval`   | 0.1 s | 3 600 s (1 h)    | 60 s    |
 * | `peer_timeout`       | 1 s   | 86 400 s (1 day) | 300 s   |
 */
export interface IntervalBounds {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly defaultSeconds: number;
}

export const HEARTBEAT_INTERVAL: IntervalBounds = {
  name: 'heartbeat_interval',
  min: 0.1,
  max: 300,
  defaultSeconds: 30,
};
export const CLEANUP_INTERVAL: IntervalBounds = {
  name: 'cleanup_interval',
  min: 0.1,
  max: 3600,
  defaultSeconds: 60,
};
export const PEER_TIMEOUT: IntervalBounds = {
  name: 'peer_timeout',
  min: 1,
  max: 86_400,
  defaultSeconds: 300,
};

export interface Clamped {
  seconds: number;
  /** Why the value was changed (for a warning), or null when it was within bounds. */
  warning: string | null;
}

/** `value` within `bounds`; a value that is not a finite number becomes the default. */
export function clampInterval(value: number, bounds: IntervalBounds): Clamped {
  const range = `${bounds.min}–${bounds.max} s`;
  if (!Number.isFinite(value)) {
    const seconds = bounds.defaultSeconds;
    return { seconds, warning: `${bounds.name} ${value} is not a number; using ${seconds} s` };
  }
  const seconds = Math.min(bounds.max, Math.max(bounds.min, value));
  if (seconds === value) return { seconds, warning: null };
  return {
    seconds,
    warning: `${bounds.name} ${value} s is outside ${range}; using ${seconds} s`,
  };
}
