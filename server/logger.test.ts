import { describe, expect, it } from 'vitest';
import { parseCli } from './cli/args';
import { createServerLogger } from './logger';

/** Collects what pino writes: one JSON document per line. */
function capture(): { write(line: string): void; records(): Record<string, unknown>[] } {
  const lines: string[] = [];
  return {
    write: (line) => lines.push(line),
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('server logger (pino)', () => {
  it('writes one JSON object per line with pino levels, time and the message', () => {
    const out = capture();
    const logger = createServerLogger({ destination: out });
    logger.info('Loaded 3 parties');
    logger.warn('Connection 7 is flooding');
    logger.error('Storage commit failed');
    const records = out.records();
    expect(records.map((r) => [r.level, r.msg])).toEqual([
      [30, 'Loaded 3 parties'],
      [40, 'Connection 7 is flooding'],
      [50, 'Storage commit failed'],
    ]);
    for (const r of records) {
      expect(r.name).toBe('lanrage-server');
      expect(typeof r.time).toBe('number');
    }
  });

  it('drops lines below the configured level', () => {
    const out = capture();
    const logger = createServerLogger({ level: 'warn', destination: out });
    logger.info('not shown');
    logger.warn('shown');
    expect(out.records().map((r) => r.msg)).toEqual(['shown']);
  });

  it('--log-level is validated', () => {
    expect(parseCli(['--log-level', 'error'], {}).logLevel).toBe('error');
    expect(parseCli([], {}).logLevel).toBe('info');
    expect(() => parseCli(['--log-level', 'loud'], {})).toThrow(/--log-level/);
  });
});
