import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeTarget, writeTargetSync } from './link-target';

export interface AtomicWriteOptions {
  /**
   * File mode for a newly written file: 0o600 unless asked otherwise, since the app's files
   * (even the non-secret ones: parties, members, their addresses) are its user's alone.
   */
  mode?: number;
}

const OWNER_ONLY = 0o600;

function tempPathFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

/**
 * Writes `data` so that readers (and a crash at any instant) see either the old file or
 * the whole new one: temp file in the same directory, fsync, rename over, fsync the dir.
 * A symbolic link is written through: the file it names is replaced, the link kept
 * (link-target.ts).
 */
export async function atomicWrite(
  link: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const path = await writeTarget(link);
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, 'w', options.mode ?? OWNER_ONLY);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** The synchronous twin, for the rare caller that cannot await (e.g. exit handlers). */
export function atomicWriteSync(
  link: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  const path = writeTargetSync(link);
  const temp = tempPathFor(path);
  try {
    const fd = openSync(temp, 'w', options.mode ?? OWNER_ONLY);
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectorySync(dirname(path));
}

// The rename is only durable once the directory entry is; some platforms (Windows)
// cannot open a directory, which is fine to skip there.
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

function syncDirectorySync(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}
