/**
 * The server's data dir made if missing, owner-only, in a way that always ends (make-dirs.ts),
 * and one the server can write in.
 */
import fs from 'node:fs';
import { dirname } from 'node:path';
import { makeDirs } from '../../shared/node/make-dirs';

/** ` (uid N)`: whom a "not writable" message means (the server's user, often not the host's). */
export const RUNS_AS = process.getuid ? ` (uid ${process.getuid()})` : '';

/** @throws Error naming the data dir when it cannot be made or written (the host reads it). */
export function makeDataDir(dataDir: string): void {
  try {
    makeDirs(dataDir, {
      mkdir: (dir) => fs.mkdirSync(dir, { mode: 0o700 }),
      isDirectory: (dir) => fs.statSync(dir).isDirectory(),
      dirname,
    });
  } catch (error) {
    throw new Error(cannotMake(dataDir, error), { cause: error });
  }
  assertWritableDir(dataDir);
}

/** Why `dataDir` could not be made: a file in the way said "EEXIST: file already exists". */
function cannotMake(dataDir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const pick = 'pick a folder for --data-dir (one that does not exist yet is made)';
  if (code === 'EEXIST') {
    const what = isFile(dataDir) ? 'is a file, not a folder' : 'is there, but not a folder';
    return `The data dir ${dataDir} ${what}: ${pick}.`;
  }
  if (code === 'ENOTDIR') {
    return `Cannot make the data dir ${dataDir}: a part of its path is a file, not a folder: ${pick}.`;
  }
  const why = error instanceof Error ? error.message : String(error);
  return `Cannot make the data dir ${dataDir}: ${why}`;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * A data dir made by root for a server that runs as its own user stopped it with SQLite's
 * "unable to open database file", naming neither the file nor why.
 */
function assertWritableDir(dataDir: string): void {
  try {
    fs.accessSync(dataDir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    // No owner or mode helps on a read-only mount: the hint to chown sent the host astray.
    if (code === 'EROFS') {
      throw new Error(
        `The data dir ${dataDir} is on a read-only file system (EROFS): mount it read-write ` +
          'or pick another --data-dir.',
        { cause: error },
      );
    }
    throw new Error(
      `The data dir ${dataDir} is not writable by the user this server runs as${RUNS_AS} ` +
        `(${code}): give that user the folder (chown -R) or pick another --data-dir.`,
      { cause: error },
    );
  }
}
