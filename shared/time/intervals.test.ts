import { describe, expect, it } from 'vitest';
import { clampInterval, HEARTBEAT_INTERVAL, PEER_TIMEOUT } from './intervals';

describe('clampInterval', () => {
  it('keeps a value within bounds without a warning', () => {
    expect(clampInterval(30, HEARTBEAT_INTERVAL)).toEqual({ seconds: 30, warning: null });
  });

  it('clamps 1e-6 and 1e10 to the bounds and says so', () => {
    expect(clampInterval(1e-6, HEARTBEAT_INTERVAL)).toEqual({
      seconds: 0.1,
      warning: 'heartbeat_interval 0.000001 s is outside 0.1–300 s; using 0.1 s',
    });
    expect(clampInterval(1e10, PEER_TIMEOUT).seconds).toBe(86_400);
  });

  it('uses the default for a value that is not a finite number', () => {
    expect(clampInterval(Number.NaN, PEER_TIMEOUT).seconds).toBe(300);
    expect(clampInterval(Infinity, HEARTBEAT_INTERVAL).warning).toMatch(/not a number/);
  });
});
