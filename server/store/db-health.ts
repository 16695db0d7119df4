/**
 * The database is checked before the server opens it. A corrupt one is never silently wiped
 * and never stops the server with a raw SQLite message: by default it is set aside as
 * `lanrage.db.corrupt-<time>` (with its -wal and -shm, so it can still be opened and
 * salvaged), the server logs it loudly and starts empty; with `--on-corrupt refuse` it does
 * not start and says what to do. A 0-byte file is a fault too: SQLite would silently treat
 * it as a new, empty database. Only damage is set aside: a check that fails for any other
 * reason (a full disk, a file the server may not open) stops the server and touches nothing.
 */
import { RUNS_AS } from './data-dir';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../../shared/logger';
import { assertServerMayUse } from './db-access';
import { StorageFaultError } from './storage-fault';

export { StorageFaultError } from './storage-fault';

export const CorruptPolicy = { SET_ASIDE: 'set-aside', REFUSE: 'refuse' } as const;
export type CorruptPolicy = (typeof CorruptPolicy)[keyof typeof CorruptPolicy];

const SIDE_FILES = ['-wal', '-shm'] as const;

/** SQLite's extended code (`SQLITE_IOERR_SHMSIZE`), or '' for an error that is not SQLite's. */
function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : '';
}

/** The errors that say the file itself is damaged, or not a database at all. */
function isDamage(error: unknown): boolean {
  const code = sqliteCode(error);
  return code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB');
}

/** What to look at for an error that says nothing about the file's contents. */
function hintFor(code: string, file: string): string {
  const dir = path.dirname(file);
  if (code.startsWith('SQLITE_FULL') || code.startsWith('SQLITE_IOERR')) {
    return (
      `A full disk does this: see \`df -h ${dir}\` and free some space; otherwise the ` +
      'disk or its file system reports errors (`dmesg`).'
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return `Another program holds a lock on it: \`fuser ${file}\` names it.`;
  }
  return (
    `Check that the user this server runs as${RUNS_AS} may open it and the -wal and -shm ` +
    `beside it, and that nothing else is in their place: \`ls -l ${dir}\`.`
  );
}

/**
 * The database could not be checked or opened for a reason that is not damage: the server
 * stops with the files as they were. A full disk used to read as "is corrupt (disk I/O error)",
 * and the healthy database was set aside; the next start, with room again, had no parties.
 * An error that is not SQLite's or the file system's (ours, saying what to do) is kept.
 */
export function cannotUse(file: string, error: unknown, doing = 'checked'): Error {
  const code = sqliteCode(error) || (error as NodeJS.ErrnoException | null)?.code;
  if (!(error instanceof Error) || typeof code !== 'string') return error as Error;
  return new StorageFaultError(
    `The database ${file} could not be ${doing}: ${error.message} (${code}). ` +
      'That says nothing of damage, so the server did not start and left every file as it ' +
      `is. ${hintFor(code, file)} Then start the server again.`,
  );
}

/**
 * Why `file` cannot be used (damaged, or 0 bytes), or null when it is fine (or does not exist
 * yet). @throws StorageFaultError when it cannot be checked: that says nothing about the file.
 */
export function databaseFault(file: string): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw cannotUse(file, error);
  }
  if (!stat.isFile()) {
    const what = stat.isDirectory() ? 'a folder' : 'not a regular file';
    throw new StorageFaultError(
      `The database ${file} is ${what}. The server did not start and left it as it is: move ` +
        'it away (a new database is made in its place) or give --data-dir a folder of its own.',
    );
  }
  if (stat.size === 0) return 'is empty (0 bytes), so every party it held is gone';
  return integrityFault(file);
}

function integrityFault(file: string): string | null {
  // A read-only connection to a WAL database makes the -wal and -shm it lacks.
  const made = SIDE_FILES.map((suffix) => file + suffix).filter((f) => !fs.existsSync(f));
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
    if (isDamage(error)) return `is corrupt (${(error as Error).message})`;
    closeQuietly(db);
    db = null;
    // Left as it was: a read-only connection wrote nothing into the ones it made.
    for (const side of made) fs.rmSync(side, { force: true });
    throw cannotUse(file, error);
  } finally {
    closeQuietly(db);
  }
}

function closeQuietly(db: Database.Database | null): void {
  try {
    db?.close();
  } catch {
    // Closing a damaged database may fail too; it is set aside next either way.
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
  assertServerMayUse(file);
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
