/**
 * The server's logger: one JSON object per line on stderr (stdout carries only the
 * "listening" line), with pino's numeric level, time, pid and hostname, so a log shipper
 * (journald, Docker, Loki) can filter by level without parsing prose.
 */
import pino, { type DestinationStream } from 'pino';
import type { Logger } from '../shared/logger';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerLoggerOptions {
  level?: LogLevel;
  /** Default: stderr, written synchronously so nothing is lost when the process exits. */
  destination?: DestinationStream;
}

export function createServerLogger(options: ServerLoggerOptions = {}): Logger {
  const destination = options.destination ?? pino.destination({ dest: 2, sync: true });
  const log = pino({ name: 'lanrage-server', level: options.level ?? 'info' }, destination);
  return {
    debug: (message) => log.debug(message),
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message) => log.error(message),
  };
}
