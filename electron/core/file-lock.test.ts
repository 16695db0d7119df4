import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from './file-lock';
import { makeTempDir } from './test-util/temp-dir';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('withFileLock', () => {
  it('runs tasks on one path one at a time and removes the lock after', async () => {
    const path = join(dir, 'shared.json');
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withFileLock(path, async () => {
          maxInside = Math.max(maxInside, ++inside);
          await sleep(3);
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('releases the lock when the task throws', async () => {
    const path = join(dir, 'shared.json');
    await expect(withFileLock(path, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('breaks the lock of a dead process', async () => {
    const path = join(dir, 'shared.json');
    // pid 2^22+ is above Linux's pid_max default, so no such process exists.
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 4_194_999, token: 'dead' }));
    expect(await withFileLock(path, () => Promise.resolve('ran'))).toBe('ran');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('breaks a lock older than staleMs even if its owner lives', async () => {
    const path = join(dir, 'shared.json');
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.pid, token: 'old' }));
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${path}.lock`, old, old);
    expect(await withFileLock(path, () => Promise.resolve(1), { staleMs: 1000 })).toBe(1);
  });

  it('gives up with a clear error when a live lock is held too long', async () => {
    const path = join(dir, 'shared.json');
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: process.pid, token: 'held' }));
    const attempt = withFileLock(path, () => Promise.resolve(), { timeoutMs: 100 });
    await expect(attempt).rejects.toMatchObject({ code: 'lock_timeout' });
    await expect(attempt).rejects.toThrow(/shared\.json\.lock/);
    expect(existsSync(`${path}.lock`)).toBe(true);
  });
});
