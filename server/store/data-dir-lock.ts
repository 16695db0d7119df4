/**
 * One server per data dir. Two servers on one `lanrage.db` each keep their own picture of
 * parties and identity bindings and overwrite each other's rows (a peer id bound to one key on
 * one server is bound again to another on the second), and one may set aside the database the
 * other is writing. The lock is an exclusive SQLite lock on `lanrage.lock`: the kernel drops it
 * when the process ends, however it ends, so a crash leaves no stale lock to clear by hand,
 * unlike a pid file. `backup` never takes it: a copy stays safe while the server runs.
 * The lock file is owner-only (0600) like the database: any user who can read it can hold a
 * read lock on it, and a server starting then says another one is using its data dir.
 */
import { RUNS_AS } from './data-dir';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StorageFaultError } from './db-health';
import { createOwnerOnly, ownerOnly } from './file-modes';
import type { Logger } from '../../shared/logger';

export const LOCK_FILE = 'lanrage.lock';

const WHY_OWNER_ONLY = 'another user who can read it can keep the server from starting';

export interface DataDirLock {
  release(): void;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** SQLite's words ("attempt to write a readonly database") name no file. */
function cannotLock(file: string, error: unknown): StorageFaultError {
  const why = error instanceof Error ? error.message : String(error);
  return new StorageFaultError(
    `Cannot lock ${file}: ${why}. It must be writable by the user this server runs as${RUNS_AS}.`,
  );
}

/**
 * A folder (or a FIFO, a device) in the lock file's place: SQLite says "unable to open database
 * file", which read as a permission problem ("must be writable by uid 0") to a root that could.
 */
function assertNotOther(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return; // Missing: SQLite makes it. Unreadable: SQLite's words, below, name the file.
  }
  if (stat.isFile()) return;
  const what = stat.isDirectory() ? 'a folder' : 'not a regular file';
  throw new StorageFaultError(
    `Cannot lock ${file}: it is ${what}. The server makes this file itself: move that ` +
      'away (nothing of the server is in it) and start again.',
  );
}

/**
 * Takes the data dir for this process (the dir must exist).
 * @throws StorageFaultError when another server holds it, saying how to find that one, or
 *   when its lock file cannot be written, naming it.
 */
export function lockDataDir(dataDir: string, logger: Logger): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  assertNotOther(file);
  let db: Database.Database;
  try {
    createOwnerOnly(file);
    ownerOnly(file, logger, WHY_OWNER_ONLY);
    db = new Database(file, { timeout: 0 });
  } catch (error) {
    throw cannotLock(file, error);
  }
  try {
    // In exclusive locking mode the lock taken by the first write is kept until close.
    db.pragma('locking_mode = EXCLUSIVE');
    // Nothing in it is worth a journal: no lanrage.lock-journal beside it.
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (at INTEGER); COMMIT');
  } catch (error) {
    db.close();
    if (!isBusy(error)) throw cannotLock(file, error);
    throw new StorageFaultError(
      `Another LANrage server is using the data dir ${dataDir}: it holds ${file} ` +
        `(\`lsof ${file}\` or \`fuser ${file}\` names its process). Stop that one, or give ` +
        'this one its own --data-dir; to run several servers on the same parties, use --redis.',
    );
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      db.close();
    },
  };
}
