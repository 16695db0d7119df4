/** The server's data dir made if missing, owner-only, in a way that always ends (make-dirs.ts). */
import fs from 'node:fs';
import { dirname } from 'node:path';
import { makeDirs } from '../../shared/make-dirs';

/** @throws Error naming the data dir when it cannot be made (the host reads it in the log). */
export function makeDataDir(dataDir: string): void {
  try {
    makeDirs(dataDir, {
      mkdir: (dir) => fs.mkdirSync(dir, { mode: 0o700 }),
      isDirectory: (dir) => fs.statSync(dir).isDirectory(),
      dirname,
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot make the data dir ${dataDir}: ${why}`, { cause: error });
  }
}
