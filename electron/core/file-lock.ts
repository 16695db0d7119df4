/**
 * A lock shared by separate OS processes: `<path>.lock`, created with O_EXCL and holding
 * the owner's pid and a random token. A lock whose owner died, or that is older than
 * `staleMs`, is broken. Uses real time on purpose: it coordinates real processes.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { ControlPlaneError } from '../../shared/errors';

export interface FileLockOptions {
  /** A lock held longer than this is considered abandoned (default 10 s). */
  staleMs?: number;
  /** Give up after waiting this long (default 15 s). */
  timeoutMs?: number;
}

interface LockContent {
  pid: number;
  token: string;
}

const DEFAULT_STALE_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 15_000;

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

async function readLock(lockPath: string): Promise<LockContent | null> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockContent>;
    if (typeof parsed.pid === 'number' && typeof parsed.token === 'string') {
      return { pid: parsed.pid, token: parsed.token };
    }
  } catch {
    /* being written, or gone */
  }
  return null;
}

async function tryCreate(lockPath: string, content: LockContent): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx', 0o644);
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify(content));
  } finally {
    await handle.close();
  }
  return true;
}

/** Whether the lock now at lockPath is abandoned; returns its token (or '' if unreadable). */
async function staleToken(lockPath: string, staleMs: number): Promise<string | null> {
  let ageMs: number;
  try {
    ageMs = Date.now() - (await stat(lockPath)).mtimeMs;
  } catch {
    return null; // already gone: just retry
  }
  const content = await readLock(lockPath);
  if (ageMs > staleMs) return content?.token ?? '';
  if (content && content.pid !== process.pid && !isAlive(content.pid)) return content.token;
  return null;
}

/**
 * Moves an abandoned lock out of the way. Renaming is atomic, so only one breaker wins;
 * if what it moved turns out to be a fresh lock (taken in between), it is put back.
 */
async function breakLock(lockPath: string, token: string): Promise<void> {
  const aside = `${lockPath}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await readLock(aside);
  if (moved && moved.token !== token) await link(aside, lockPath).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** Runs `task` while holding the lock on `path`; always releases it. */
export async function withFileLock<T>(
  path: string,
  task: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const lockPath = `${path}.lock`;
  const content = { pid: process.pid, token: randomBytes(12).toString('hex') };
  await acquire(lockPath, content, options);
  try {
    return await task();
  } finally {
    await release(lockPath, content.token);
  }
}

async function acquire(
  lockPath: string,
  content: LockContent,
  options: FileLockOptions,
): Promise<void> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(lockPath, content)) return;
    const stale = await staleToken(lockPath, staleMs);
    if (stale !== null) {
      await breakLock(lockPath, stale);
      continue;
    }
    if (Date.now() > deadline) {
      throw new ControlPlaneError(`Timed out waiting for the lock ${lockPath}`, {
        code: 'lock_timeout',
      });
    }
    // Jittered backoff, so waiting processes do not retry in lock step.
    await delay(Math.min(50, 2 + attempt * 2) * (0.5 + Math.random()));
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  const current = await readLock(lockPath);
  // If our lock was broken as stale, the file is someone else's now: leave it.
  if (current?.token === token) await unlink(lockPath).catch(() => undefined);
}
