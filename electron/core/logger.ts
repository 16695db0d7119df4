/**
 * The app's logger: plain lines on stderr (the shell and headless mode show them). Stdout is
 * left to what a launcher reads: headless mode's one line with its URL.
 */
import type { Logger } from '../../shared/logger';

export const consoleLogger: Logger = {
  // The app has no debug level: its lines are for users reporting a problem.
  debug: () => undefined,
  info: (message) => console.error(`[lanrage] ${message}`),
  warn: (message) => console.warn(`[lanrage] ${message}`),
  error: (message) => console.error(`[lanrage] ${message}`),
};
