/**
 * A file LANrage writes may be a symbolic link (a dotfile manager keeping config.json in a
 * repository, say). The atomic rename replaced the link itself by a plain file: the link's
 * target kept the old settings for good, and nothing said so. Writes go to the file the link
 * names instead, beside it, so the link keeps working.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { lstat, readlink, realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** Nothing there (ENOTDIR: a file stands where a folder of its path should be). */
const missing = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

/**
 * Where a write to `path` goes: `path`, or the file its link (and any links it names) leads
 * to; a link to a file that is missing leads to where that file would be.
 */
export async function writeTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if (!missing(error)) throw error;
    const stat = await lstat(path).catch(() => null);
    if (!stat?.isSymbolicLink()) return path;
    return resolve(dirname(path), await readlink(path));
  }
}

/** The synchronous twin of writeTarget. */
export function writeTargetSync(path: string): string {
  try {
    return realpathSync(path);
  } catch (error) {
    if (!missing(error)) throw error;
    return danglingTarget(path) ?? path;
  }
}

/** Where `path` links to when it is a link whose file is missing; else null. Never throws. */
export function danglingTarget(path: string): string | null {
  try {
    if (!lstatSync(path).isSymbolicLink()) return null;
    realpathSync(path);
    return null;
  } catch (error) {
    if (!missing(error)) return null;
    try {
      return resolve(dirname(path), readlinkSync(path));
    } catch {
      return null;
    }
  }
}
