/** The app's logger: plain lines on the console (the shell and headless mode show them). */
import type { Logger } from '../../shared/logger';

export const consoleLogger: Logger = {
  info: (message) => console.info(`[lanrage] ${message}`),
  warn: (message) => console.warn(`[lanrage] ${message}`),
  error: (message) => console.error(`[lanrage] ${message}`),
};
