/**
 * A consistent copy of the database (`npm run server -- backup`, server/cli/backup-command.ts),
 * safe while the server runs. `VACUUM INTO` copies in one read transaction, so the copy is
 * one committed state even while the server's writer thread commits; it is checked, synced
 * and renamed into place, so FILE is never half a database.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databaseFault } from './db-health';
import { OWNER_ONLY } from './file-modes';
import { DB_FILE } from './sqlite-store';

export interface BackupResult {
  file: string;
  parties: number;
  bytes: number;
}

export function backupDatabase(dataDir: string, destination: string): BackupResult {
  const file = path.resolve(destination);
  if (fs.existsSync(file)) throw new Error(`${file} exists already; pick a new file name`);
  // Else SQLite's own words name the temporary copy: "unable to open database: FILE.123.tmp".
  if (!isFolder(path.dirname(file))) {
    throw new Error(`${path.dirname(file)} is not a folder; the backup goes in one that exists`);
  }
  const source = path.join(dataDir, DB_FILE);
  if (!fs.existsSync(source)) throw new Error(`There is no database at ${source}`);
  const temp = `${file}.${process.pid}.tmp`;
  const room = freeBytes(path.dirname(file));
  try {
    vacuumInto(source, temp);
    const fault = databaseFault(temp);
    if (fault) throw new Error(`The copy ${fault}; the database itself may be damaged`);
    const copy = new Database(temp, { readonly: true });
    const { n } = copy.prepare('SELECT count(*) AS n FROM parties').get() as { n: number };
    copy.close();
    syncFile(temp);
    fs.renameSync(temp, file);
    syncFile(path.dirname(file));
    return { file, parties: n, bytes: fs.statSync(file).size };
  } catch (error) {
    throw isFull(error) ? noRoom(file, source, room, error) : error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** SQLite's SQLITE_FULL, or the file system's ENOSPC or EDQUOT (a quota). */
function isFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return code === 'ENOSPC' || code === 'EDQUOT' || code.startsWith('SQLITE_FULL');
}

/** Bytes the server's user may still write in `dir`'s file system; null where unknown. */
function freeBytes(dir: string): number | null {
  try {
    const stats = fs.statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/**
 * SQLite said only "database or disk is full", which read as the server's own disk. The copy
 * needs about the database's size where it goes; with that much free there, SQLite's temporary
 * files were what ran out of room.
 */
function noRoom(file: string, source: string, room: number | null, error: unknown): Error {
  const dir = path.dirname(file);
  const needs = fs.statSync(source).size;
  const free = room === null ? 'an unknown number of' : String(room);
  const where =
    room !== null && room < needs
      ? `The destination ${dir} is full (${free} bytes free; the copy needs about ${needs})`
      : `Writing the copy in ${dir} (${free} bytes free; it needs about ${needs}) or SQLite's ` +
        'temporary files (in $SQLITE_TMPDIR, else /var/tmp or /tmp) ran out of room';
  return new Error(
    `${where}: ${(error as Error).message}. No copy was written, and the database was not ` +
      'touched: free space there or give FILE a folder on another disk.',
    { cause: error },
  );
}

function vacuumInto(source: string, temp: string): void {
  // Not read-only: a WAL database's -wal and -shm are made by the first connection, and only a
  // read-write one removes them when it is the last to close. Made by root for a server that
  // runs as its own user, they were left owned by root, and that server could write nothing.
  // This connection only reads; SQLite opens it read-only if the file is not writable.
  const db = new Database(source, { fileMustExist: true });
  try {
    emptyOwnerOnly(temp);
    db.prepare('VACUUM INTO ?').run(temp);
  } finally {
    db.close();
  }
}

/**
 * The copy holds every session and invite token: made 0600 before VACUUM INTO fills it (SQLite
 * would make it with the umask's mode, 0644, and the README's /backups is rarely private).
 */
function emptyOwnerOnly(file: string): void {
  const fd = fs.openSync(file, 'w', OWNER_ONLY);
  try {
    // A temp file left by an earlier run with this pid keeps its mode through 'w'.
    if (process.platform !== 'win32') fs.fchmodSync(fd, OWNER_ONLY);
  } finally {
    fs.closeSync(fd);
  }
}

function isFolder(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
