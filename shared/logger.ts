/**
 * Where code reports what a user or operator may need to know. One interface for the app,
 * the server and tests; each picks where lines go (console for the app, pino JSON for the
 * server, memory in tests), so nothing that logs depends on how.
 */
export interface Logger {
  /** What an operator reads only when looking into one client (`--log-level debug`). */
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** For callers that have nothing to report to (and a default when none is given). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * `message` with what it is about, as one line: an error's message (its stack with `stack`,
 * for faults of our own a developer must trace), a string as it is, anything else as JSON.
 */
export function withDetail(message: string, detail: unknown, stack = false): string {
  return `${message}: ${detailText(detail, stack)}`;
}

function detailText(detail: unknown, stack: boolean): string {
  if (detail instanceof Error) return (stack ? detail.stack : undefined) ?? detail.message;
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail) ?? String(detail);
  } catch {
    // A cycle, or a BigInt: what String makes of it still says something.
    return String(detail);
  }
}
