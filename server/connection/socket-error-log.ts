/**
 * Warnings about single clients (a socket's protocol error, one flooding or not reading) as
 * the operator reads them: at most one line a second, with how many more came since. Each
 * was a line of its own, so a client opening sockets that each sent one bad frame, or
 * flooded, wrote the log as fast as it connected.
 */
import type { Logger } from '../../shared/logger';
import { LineThrottle } from '../log-throttle';

/** `logger` with its warnings throttled; other lines pass as they come. */
export function throttledWarnings(
  logger: Logger,
  now: () => number = () => performance.now(),
  intervalMs = 1000,
): Logger {
  const throttle = new LineThrottle(intervalMs, now);
  const warn = (message: string): void => {
    const held = throttle.take();
    if (held === null) return;
    const since = held > 0 ? `; ${held} more such warnings since the last` : '';
    logger.warn(`${message}${since}`);
  };
  return {
    debug: (m) => logger.debug(m),
    info: (m) => logger.info(m),
    warn,
    error: (m) => logger.error(m),
  };
}
