/**
 * The database is checked before the server opens it. A corrupt one is never silently wiped
 * and never stops the server with a raw SQLite message: by default it is set aside as
 * `lanrage.db.corrupt-<time>` (with its -wal and -shm, so it can still be opened and
 * salvaged), the server logs it loudly and starts empty; with `--on-corrupt refuse` it does
 * not start and says what to do. A 0-byte file is a fault too: SQLite would silently treat
 * it as a new, empty database.
 */
import { RUNS_AS } from './data-dir';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Logger } from '../../shared/logger';

export const CorruptPolicy = { SET_ASIDE: 'set-aside', REFUSE: 'refuse' } as const;
export type CorruptPolicy = (typeof CorruptPolicy)[keyof typeof CorruptPolicy];

/** A storage fault the server will not start with; the message says what to do. */
export class StorageFaultError extends Error {
  override name = 'StorageFaultError';
}

const SIDE_FILES = ['-wal', '-shm'] as const;

/** Why `file` cannot be used, or null when it is fine (or does not exist yet). */
export function databaseFault(file: string): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return `cannot be read (${(error as Error).message})`;
  }
  if (!stat.isFile()) return 'is not a regular file';
  if (stat.size === 0) return 'is empty (0 bytes), so every party it held is gone';
  return integrityFault(file);
}

function integrityFault(file: string): string | null {
  let db: Database.Database | null = null;
  try {
    // Read-only: a read-write connection may delete or rewrite the -wal and -shm on close,
    // which are part of what is kept aside.
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
    const problems = rows.map((r) => r.quick_check);
    if (problems.length === 1 && problems[0] === 'ok') return null;
    return `is corrupt (${problems.slice(0, 3).join('; ')})`;
  } catch (error) {
    return `is corrupt (${(error as Error).message})`;
  } finally {
    try {
      db?.close();
    } catch {
      // Closing a damaged database may fail too; it is set aside next either way.
    }
  }
}

/** Renames `file` and its -wal/-shm to `<file>.corrupt-<time>[-wal|-shm]`; returns the new name. */
export function setAside(file: string, now: Date): string {
  const target = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(file, target);
  for (const suffix of SIDE_FILES) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, target + suffix);
  }
  return target;
}

/**
 * Checks the database at `file` before it is opened; sets a faulty one aside (logging it as
 * an error) or, with the refuse policy, throws a StorageFaultError saying what to do.
 */
export function checkDatabase(
  file: string,
  policy: CorruptPolicy,
  logger: Logger,
  now = new Date(),
): void {
  const fault = databaseFault(file);
  if (!fault) return;
  // A -wal left beside the copy is laid over it at open: the restore silently did not happen.
  const restore =
    `To restore a backup (made with the server's backup command), stop the server, move ` +
    `${file}, ${file}-wal and ${file}-shm aside if they are there, and copy the backup to ` +
    `${file}, owned by the server's user.`;
  if (policy === CorruptPolicy.REFUSE) {
    throw new StorageFaultError(
      `The database ${file} ${fault}. The server did not start and left it as it is. ` +
        `${restore} To start with no parties instead, keeping the file aside, run with --on-corrupt set-aside.`,
    );
  }
  let aside: string;
  try {
    aside = setAside(file, now);
  } catch (error) {
    throw new StorageFaultError(
      `The database ${file} ${fault}, and it could not be set aside (${(error as Error).message}). ${restore}`,
    );
  }
  logger.error(
    `STORAGE FAULT: the database ${file} ${fault}. It is kept as ${aside} (with its -wal/-shm) ` +
      `and the server starts with NO parties. ${restore}`,
  );
}

/**
 * Writes the header's user version back as it is. SQLite opens a file it cannot write (put
 * back from a backup by root for a server running as its own user) read-only without a word:
 * the server started, answered /readyz, and refused every change as `unavailable`.
 */
export function assertWritable(db: Database.Database, file: string): void {
  try {
    const version = Number(db.pragma('user_version', { simple: true }));
    db.pragma(`user_version = ${version}`);
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('SQLITE_READONLY')) throw error;
    throw new Error(
      `The database ${file} cannot be written by the user this server runs as${RUNS_AS}: ` +
        `${(error as Error).message}. Give that user the file (and any -wal and -shm beside ` +
        'it), e.g. with chown, and start the server again.',
      { cause: error },
    );
  }
}
