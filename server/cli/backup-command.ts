/**
 * `npm run server -- backup FILE [--data-dir DIR]`: the subcommand's flags and its one line
 * of output; the copy itself is server/store/backup.ts. Every failure is one Error fit for
 * the terminal (server/cli.ts prints it and exits).
 */
import { backupDatabase } from '../store/backup';
import { counted } from '../../shared/counted';
import { dataDirFrom } from './args';
import { envName, withEnv } from './env-flags';
import { readFlags } from './flags';

export const BACKUP_USAGE =
  'usage: npm run server -- backup FILE [--data-dir DIR] (a built server: node cli.js backup …)';
/** `backup --help`: it used to be refused as an unknown option, exit 2. */
export const BACKUP_HELP = `${BACKUP_USAGE}

Copies the database to FILE (owner-only, 0600), one committed state, safe while the server runs;
FILE must not exist yet.
  --data-dir DIR  the server's data dir (default: $${envName('data-dir')},
                  else $LANRAGE_HOME/server, else ~/.lanrage/server)`;

/** The `backup` subcommand's arguments. @throws Error with a message fit for the terminal. */
export function parseBackupArgs(argv: string[], env: NodeJS.ProcessEnv): [string, string] {
  const { values, positionals } = readFlags(argv, ['data-dir'], true);
  if (positionals.length !== 1 || !positionals[0]) {
    throw new Error('backup needs exactly one FILE to write the copy to');
  }
  // The server's own data dir in its container or unit (the other settings are not ours).
  const dataDir = withEnv(values, ['data-dir'], env, false).values['data-dir'];
  return [dataDirFrom(dataDir, env), positionals[0]];
}

/** Copies the database; the line to print when done. @throws Error fit for the terminal. */
export function runBackup(dataDir: string, file: string): string {
  const done = backupDatabase(dataDir, file);
  const parties = counted(done.parties, 'party', 'parties');
  return `Backed up ${parties} (${done.bytes} bytes) to ${done.file}`;
}
