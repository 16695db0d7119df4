/**
 * `mkdir -p` that always ends. Node's own recursive mkdir (sync and promise alike) spins at
 * 100 % CPU forever on a path whose parent exists but refuses it with ENOENT, as anything
 * under /proc does: it makes the parent (EEXIST), retries the child (ENOENT) and so on. A
 * data dir or LANRAGE_HOME there froze the server or the app with not one line said. Here
 * each missing directory is tried once its parent is there, and a second ENOENT is thrown.
 *
 * No Node import (shared/ is built for the renderer too): the caller passes node:fs and
 * node:path's functions (server/store/data-dir.ts, electron/core/state/make-dirs.ts).
 */
export interface DirOps {
  /** Makes one directory (not its parents); throws Node's errors (`code`). */
  mkdir(path: string): void;
  isDirectory(path: string): boolean;
  dirname(path: string): string;
}

const codeOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

/** Makes `path` and any missing parents; an existing directory is left as it is. */
export function makeDirs(path: string, ops: DirOps): void {
  try {
    ops.mkdir(path);
    return;
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return existing(path, error, ops);
    const parent = ops.dirname(path);
    if (codeOf(error) !== 'ENOENT' || parent === path) throw error;
    // Bounded: each call is one level nearer the root, where dirname(path) === path.
    makeDirs(parent, ops);
  }
  try {
    ops.mkdir(path);
  } catch (error) {
    // ENOENT again with the parent there: the filesystem will not hold it (/proc).
    if (codeOf(error) !== 'EEXIST') throw error;
    existing(path, error, ops);
  }
}

/** EEXIST is fine for a directory; a file in the way is the mkdir's own error. */
function existing(path: string, error: unknown, ops: DirOps): void {
  if (!ops.isDirectory(path)) throw error;
}
