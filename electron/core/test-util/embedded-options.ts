/** An embedded server's options for tests: 127.0.0.1, a free port, silent, the seed's timings. */
import { silentLogger } from '../../../shared/logger';
import type { EmbeddedServerOptions } from '../hosting/embedded/embedded-server';

export function embeddedOptions(
  file: string,
  overrides: Partial<EmbeddedServerOptions> = {},
): EmbeddedServerOptions {
  return {
    file,
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger,
    heartbeatIntervalS: 30,
    peerTimeoutMs: 300_000,
    sweepIntervalMs: 60_000,
    ...overrides,
  };
}
