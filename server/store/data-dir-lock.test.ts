import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from './data-dir-lock';
import { StorageFaultError } from './db-health';
import { ThreadedSqliteStore } from './threaded-store';
import { silentLogger } from '../../shared/logger';

describe('one server per data dir', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-lock-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a second holder, naming the dir and what to do, until the first lets go', () => {
    const first = lockDataDir(dir, silentLogger);
    let refusal: unknown;
    try {
      lockDataDir(dir, silentLogger);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(StorageFaultError);
    expect((refusal as Error).message).toContain(`is using the data dir ${dir}`);
    expect((refusal as Error).message).toContain('--redis');
    first.release();
    first.release();
    lockDataDir(dir, silentLogger).release();
  });

  it('refuses at once (no wait for the lock), and leaves nothing but lanrage.lock beside it', () => {
    const first = lockDataDir(dir, silentLogger);
    const started = Date.now();
    expect(() => lockDataDir(dir, silentLogger)).toThrow(StorageFaultError);
    expect(Date.now() - started).toBeLessThan(1000);
    // Nothing in it is worth a journal: no lanrage.lock-journal kept beside it.
    expect(fs.readdirSync(dir)).toEqual([LOCK_FILE]);
    first.release();
    expect(fs.readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  // SQLite's "unable to open database file" was said as "must be writable by … (uid 0)".
  it("a folder in the lock file's place is named as one, not as a permission problem", () => {
    const file = path.join(dir, LOCK_FILE);
    fs.mkdirSync(file);
    expect(() => lockDataDir(dir, silentLogger)).toThrow(
      new StorageFaultError(
        `Cannot lock ${file}: it is a folder. The server makes this file itself: move that ` +
          'away (nothing of the server is in it) and start again.',
      ),
    );
    expect(fs.statSync(file).isDirectory()).toBe(true);
  });

  it('is held by an open store and given back by its close', async () => {
    const store = await ThreadedSqliteStore.open(dir, silentLogger);
    await expect(ThreadedSqliteStore.open(dir, silentLogger)).rejects.toThrow(StorageFaultError);
    await store.close();
    const again = await ThreadedSqliteStore.open(dir, silentLogger);
    await again.close();
  });
});
