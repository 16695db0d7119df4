/**
 * Warnings about single clients (a socket's protocol error, one flooding or not reading) as
 * the operator reads them: at most one line a second, with how many more came since. Each
 * was a line of its own, so a client opening sockets that each sent one bad frame, or
 * flooded, wrote the log as fast as it connected.
 */
import type { Logger } from '../../shared/logger';

/** `logger` with its warnings throttled; info and error lines pass as they come. */
export function throttledWarnings(
  logger: Logger,
  now: () => number = () => performance.now(),
  intervalMs = 1000,
): Logger {
  let unlogged = 0;
  let lastLogAt = -Infinity;
  const warn = (message: string): void => {
    const at = now();
    if (at - lastLogAt < intervalMs) {
      unlogged += 1;
      return;
    }
    const since = unlogged > 0 ? `; ${unlogged} more such warnings since the last` : '';
    logger.warn(`${message}${since}`);
    lastLogAt = at;
    unlogged = 0;
  };
  return { info: (m) => logger.info(m), warn, error: (m) => logger.error(m) };
}
