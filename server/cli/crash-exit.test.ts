/**
 * An exception nothing caught ends the server with exit 1 (a supervisor starts it again), said
 * as one JSON log line with its stack rather than Node's plain-text trace. The real CLI as a
 * process; a preloaded file throws (or rejects) on SIGUSR2, as a bug in a handler would.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../electron/core/test-util/temp-dir';
import { spawnServer, type ServerProcess } from '../test-util/process';

const PRELOAD = `
process.on('SIGUSR2', () => {
  if (process.env.LANRAGE_TEST_CRASH === 'rejection') void Promise.reject(new Error('boom from a test'));
  else setImmediate(() => { throw new Error('boom from a test'); });
});
`;

let temp: { dir: string; cleanup: () => void };
let proc: ServerProcess | null = null;
beforeEach(() => {
  temp = makeTempDir('lanrage-crash-');
  fs.writeFileSync(path.join(temp.dir, 'crash.cjs'), PRELOAD);
});
afterEach(async () => {
  await proc?.kill();
  proc = null;
  temp.cleanup();
});

async function crash(kind: 'exception' | 'rejection') {
  const env = {
    ...process.env,
    NODE_OPTIONS: `--require ${path.join(temp.dir, 'crash.cjs')}`,
    LANRAGE_TEST_CRASH: kind,
  };
  proc = await spawnServer(['--port', '0', '--data-dir', path.join(temp.dir, 'data')], 20_000, env);
  proc.child.kill('SIGUSR2');
  const code = await proc.exited;
  const lines = proc.stderr().trim().split('\n');
  return { code, lines };
}

describe('a crash', () => {
  it.each([
    ['exception', 'Uncaught exception'],
    ['rejection', 'Unhandled promise rejection'],
  ] as const)('an uncaught %s: exit 1 after one JSON line with the stack', async (kind, what) => {
    const { code, lines } = await crash(kind);
    expect(code).toBe(1);
    // Every line is JSON: nothing printed beside the log for a shipper to split.
    const entries = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
    const last = entries[entries.length - 1]!;
    expect(last.level).toBe(50);
    expect(last.msg).toMatch(new RegExp(`^${what}, exiting: Error: boom from a test\\n\\s+at `));
  });
});
