/**
 * Where code reports what a user or operator may need to know. One interface for the app,
 * the server and tests; each picks where lines go (console for the app, pino JSON for the
 * server, memory in tests), so nothing that logs depends on how.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** For callers that have nothing to report to (and a default when none is given). */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
