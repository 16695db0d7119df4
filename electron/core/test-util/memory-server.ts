/**
 * A real control server for app-side tests: in this process, on a free port, its parties in
 * memory (nothing on disk), silent; `options` override (an approval check interval, …).
 */
import { silentLogger } from '../../../shared/logger';
import { startServer, type ServerOptions } from '../../../server/server';
import type { RunningServer } from '../../../server/server-core';
import { MemoryPartyStore } from '../../../server/store/test-util/memory-store';

export function startMemoryServer(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    dataDir: '/nonexistent',
    store: new MemoryPartyStore(),
    logger: silentLogger,
    ...options,
  });
}
