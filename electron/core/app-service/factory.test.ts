/**
 * One logger for the whole app: the one the shell (or headless entry) gives the factory is
 * the one the control plane, LAN discovery and the service write to, each line at its level,
 * and nothing of theirs goes to the console past it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { createDefaultAppService } from './factory';
import type { AppService } from './types';
import { makeTempDir } from '../test-util/temp-dir';

let temp: ReturnType<typeof makeTempDir>;
let service: AppService | null = null;
let logger: MemoryLogger;

beforeEach(() => {
  temp = makeTempDir('lanrage-factory-');
  logger = new MemoryLogger();
});
afterEach(async () => {
  await service?.close();
  service = null;
  temp.cleanup();
  vi.restoreAllMocks();
});

/** The factory as the shell calls it, with the console watched for lines that got past. */
async function start(env: Record<string, string>) {
  const console = [vi.spyOn(globalThis.console, 'warn'), vi.spyOn(globalThis.console, 'error')];
  service = await createDefaultAppService({
    home: temp.dir,
    env: { LANRAGE_PEER_NAME: 'Alice', LANRAGE_LAN_DISCOVERY: 'off', ...env },
    logger,
  });
  return { service, consoleCalls: () => console.flatMap((spy) => spy.mock.calls) };
}

describe('createDefaultAppService: the one logger', () => {
  it("the control plane writes to the shell's logger: a server that does not answer is a warning", async () => {
    // Port 9 (discard): nothing listens there, so the first connect fails at once.
    const { consoleCalls } = await start({ LANRAGE_CONTROL_SERVER: 'ws://127.0.0.1:9' });
    expect(logger.messages('warn')).toContainEqual(
      expect.stringMatching(/^Control server unavailable/),
    );
    expect(logger.messages('error')).toEqual([]);
    expect(consoleCalls()).toEqual([]);
  });

  it("the plane's saved state, kept aside when damaged, is said in that logger as a warning", async () => {
    writeFileSync(join(temp.dir, 'control_state.json'), '{not json');
    const { consoleCalls } = await start({});
    expect(logger.messages('warn')).toContainEqual(
      expect.stringMatching(/^Your saved parties .* could not be read: .* LANrage kept the file/),
    );
    expect(consoleCalls()).toEqual([]);
  });
});
