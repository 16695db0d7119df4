/**
 * The database holds every session token and live invite token in clear (`peer_owners`,
 * `access`), and its -wal and -shm hold the latest of them: owner-only (0600), like the token
 * files the server refuses when looser. A data dir the server makes is 0700, but one made by
 * hand or bind-mounted (README's /var/lib/lanrage, a Docker volume) was not, and SQLite makes
 * its files with the umask's mode (0644): any local user could read them.
 */
import fs from 'node:fs';
import type { Logger } from '../../shared/logger';
import { cannotUse } from './db-health';

export const OWNER_ONLY = 0o600;

/** The database and the files SQLite keeps beside it while it runs. */
const SIDE_FILES = ['', '-wal', '-shm'] as const;

const HOLDS_TOKENS = 'it holds session and invite tokens';

/**
 * Takes group's and others' bits off `file` (0644 becomes 0600); what it changed is logged,
 * with `why` it matters. A file it may not change (not the server user's own) is logged, not
 * fatal: the server ran with it before, and the host reads what to do.
 */
export function ownerOnly(file: string, logger: Logger, why = HOLDS_TOKENS): void {
  if (process.platform === 'win32') return;
  let mode: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return;
    mode = stat.mode & 0o777;
  } catch {
    return;
  }
  if ((mode & 0o077) === 0) return;
  const was = mode.toString(8);
  // Only group's and others' bits go: a database the owner may not write stays so, and the
  // start says so (db-health.ts), rather than being made writable behind the host's back.
  const now = (mode & 0o700).toString(8);
  try {
    fs.chmodSync(file, mode & 0o700);
  } catch (error) {
    logger.warn(
      `${file} is open to others (mode ${was}) and could not be made ${now} ` +
        `(${(error as Error).message}); ${why}: chmod ${now} ${file}`,
    );
    return;
  }
  logger.warn(`${file} was mode ${was}; made it ${now} (${why})`);
}

/** The database `file` and its -wal and -shm, owner-only where they exist. */
export function keepOwnerOnly(file: string, logger: Logger): void {
  if (process.platform === 'win32') return;
  for (const suffix of SIDE_FILES) ownerOnly(file + suffix, logger);
}

/** Makes `file` empty and 0600 if it does not exist, before SQLite opens it. */
export function createOwnerOnly(file: string): void {
  if (process.platform === 'win32') return;
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', OWNER_ONLY);
  } catch (error) {
    // One that exists is SQLite's to open (or to refuse, in its words and db-health.ts's).
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  fs.closeSync(fd);
}

/**
 * Opens the database `file` with `open`, made empty and 0600 first if it does not exist:
 * SQLite makes its -wal and -shm with the database's mode, so they are owner-only from the
 * start too. If `open` fails, a database it made is removed with the -wal and -shm made for it,
 * and SQLite's error names the file: a start on a full disk left a 0-byte lanrage.db, which the
 * next start called "empty, every party it held is gone" and set aside.
 */
export function openNew<T>(file: string, open: () => T): T {
  const missing = SIDE_FILES.map((suffix) => file + suffix).filter((f) => !fs.existsSync(f));
  try {
    createOwnerOnly(file);
    return open();
  } catch (error) {
    if (missing.includes(file)) for (const made of missing) fs.rmSync(made, { force: true });
    throw cannotUse(file, error, 'opened');
  }
}
