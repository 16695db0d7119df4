/**
 * The server's source of time and timers, injectable so tests can move it. The same Clock
 * the desktop core uses (a ManualClock, electron/core/test-util, drives it in tests).
 */
export { systemClock, type Clock, type TimerHandle } from '../electron/core/scheduler';
