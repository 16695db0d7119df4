/**
 * A LocalControlPlane for tests: its own instance under a shared temp home, fast discovery
 * polls and saves, started; `planes` collects it for closing after the test.
 */
import { Config } from '../config/config';
import { LocalControlPlane } from '../local/control-plane';
import type { Logger } from '../../../shared/logger';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { systemClock, type Clock } from '../../../shared/time/clock';

/** An instance's environment: its embedded server on 127.0.0.1, any free port. */
export function localEnv(home: string, instance?: string): Record<string, string> {
  return {
    LANRAGE_HOME: home,
    LANRAGE_LAN_PORT: '0',
    LANRAGE_LAN_LISTEN: '0',
    ...(instance ? { LANRAGE_INSTANCE: instance } : {}),
  };
}

export async function testLocalPlane(
  home: string,
  name: string,
  planes: LocalControlPlane[],
  clock: Clock = systemClock,
  logger: Logger = new MemoryLogger(),
): Promise<LocalControlPlane> {
  const config = Config.load({ env: localEnv(home, name) });
  const plane = new LocalControlPlane(config, {
    clock,
    logger,
    saveDelayMs: 5,
    discoveryPollMs: 20,
  });
  planes.push(plane);
  await plane.initialize();
  return plane;
}
