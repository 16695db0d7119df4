/**
 * A directory of the app's made if missing, in a way that always ends (shared/node/make-dirs.ts:
 * Node's recursive mkdir spins forever under /proc). Synchronous: a few system calls.
 * Owner-only (0700) unless asked otherwise: the LANrage home is the user's alone
 * (home-modes.ts says why).
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirs } from '../../../shared/node/make-dirs';

export function makeDir(path: string, mode = 0o700): void {
  makeDirs(path, {
    mkdir: (dir) => mkdirSync(dir, { mode }),
    isDirectory: (dir) => statSync(dir).isDirectory(),
    dirname,
  });
}

/** The directory `file` goes in. */
export const makeDirFor = (file: string): void => makeDir(dirname(file));
