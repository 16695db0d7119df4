import type { Logger } from '../logger';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Keeps every line, for tests that assert a warning was given. */
export class MemoryLogger implements Logger {
  readonly lines: { level: LogLevel; message: string }[] = [];
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  messages(level: LogLevel): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}
