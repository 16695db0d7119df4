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
  } finally {
    fs.rmSync(temp, { force: true });
  }
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
