/**
 * A database the server's user may not read or write stops the start, naming the file's
 * owner and mode and the chown that fixes it. A backup is 0600 and its copier's: put back by
 * root (README's restore without the chown, or systemd's DynamicUser), SQLite said only
 * "unable to open database file", the health check called the restored copy corrupt, set it
 * aside and the server went live with no parties.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RUNS_AS } from './data-dir';
import { StorageFaultError } from './storage-fault';

const OWN_FILES = ['', '-wal', '-shm'] as const;

/** 'read', 'written', or null when the server's user may do both to `file` (or it is missing). */
function refused(file: string): { what: 'read' | 'written'; code: string } | null {
  try {
    fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    if (code === 'ENOENT') return null;
    try {
      fs.accessSync(file, fs.constants.R_OK);
      return { what: 'written', code };
    } catch {
      return { what: 'read', code };
    }
  }
}

function ownerAndMode(file: string): string {
  try {
    const stat = fs.statSync(file);
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    return `it is owned by uid ${stat.uid} (gid ${stat.gid}), mode ${mode}`;
  } catch (error) {
    return `its owner cannot be read (${(error as Error).message})`;
  }
}

/** @throws StorageFaultError when the server's user may not read and write a database file. */
export function assertServerMayUse(database: string): void {
  if (process.platform === 'win32') return;
  const present = OWN_FILES.map((suffix) => database + suffix).filter((f) => fs.existsSync(f));
  for (const file of present) {
    const no = refused(file);
    if (!no) continue;
    const dir = path.dirname(database);
    const which = file === database ? 'The database' : "The database's own file";
    throw new StorageFaultError(
      `${which} ${file} cannot be ${no.what} by the user this server runs as` +
        `${RUNS_AS} (${no.code}): ${ownerAndMode(file)}. The server did not start and left ` +
        `it as it is. Give that user the files, e.g. as root \`chown --reference=${dir} ` +
        `${present.join(' ')}\` (the data dir is the server's), and start the server again.`,
    );
  }
}
