export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Logs to stderr, so stdout carries only the one listening line. */
export const consoleLogger: Logger = {
  info: (message) => console.error(`[lanrage-server] ${message}`),
  warn: (message) => console.error(`[lanrage-server] warning: ${message}`),
  error: (message) => console.error(`[lanrage-server] error: ${message}`),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
