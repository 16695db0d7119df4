import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { READY_LOG_EVERY_MS, ReadinessLog } from './ready-log';

describe("/readyz's 503s in the log", () => {
  it('says the reason at once, then at most every 10 s with how many came since', () => {
    const logger = new MemoryLogger();
    let now = 0;
    const log = new ReadinessLog(logger, '/readyz', () => now);
    for (let i = 0; i < 50; i++) log.notReady('the store does not answer', 'Error: gone');
    now += READY_LOG_EVERY_MS - 1;
    log.notReady('the store does not answer', 'Error: gone');
    expect(logger.messages('warn')).toEqual([
      '/readyz answered 503: the store does not answer (Error: gone)',
    ]);
    now += 1;
    log.notReady('the store does not answer', 'Error: still gone');
    expect(logger.messages('warn')[1]).toBe(
      '/readyz answered 503: the store does not answer (Error: still gone); ' +
        '50 more 503s since the last such line',
    );
  });

  it('a new reason is said at once; ready again is said once, as info', () => {
    const logger = new MemoryLogger();
    const now = 0;
    const log = new ReadinessLog(logger, '/readyz', () => now);
    log.notReady('the store does not answer', 'Error: gone');
    log.notReady('the store does not answer', 'Error: gone');
    log.notReady('the store refuses changes', 'Error: SQLITE_FULL');
    expect(logger.messages('warn')).toEqual([
      '/readyz answered 503: the store does not answer (Error: gone)',
      '/readyz answered 503: the store refuses changes (Error: SQLITE_FULL)',
    ]);
    log.ready();
    log.ready();
    expect(logger.messages('info')).toEqual(['/readyz answers 200 again, after 3 503s']);
    // The next outage is news again.
    log.notReady('the store does not answer', 'Error: gone');
    expect(logger.messages('warn')).toHaveLength(3);
  });
});
