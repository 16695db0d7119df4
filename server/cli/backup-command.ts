/**
 * `npm run server -- backup FILE [--data-dir DIR]`: the subcommand's flags and its one line
 * of output; the copy itself is server/store/backup.ts. Every failure is one Error fit for
 * the terminal (server/cli.ts prints it and exits).
 */
import { parseArgs } from 'node:util';
import { backupDatabase } from '../store/backup';
import { counted } from '../../shared/counted';
import { readFlagsWith, type FlagOptions } from '../../shared/node/cli-flags';
import { redisWhere } from '../state/redis/url';
import { dataDirFrom } from './args';
import { envName, flagLabel, withEnv, type FlagValues } from './env-flags';

export const BACKUP_USAGE =
  'usage: npm run server -- backup FILE [--data-dir DIR] (a built server: node cli.js backup …)';
/** `backup --help`: it used to be refused as an unknown option, exit 2. */
export const BACKUP_HELP = `${BACKUP_USAGE}

Copies the database to FILE (owner-only, 0600), one committed state, safe while the server runs;
FILE must not exist yet. A server on Redis ($${envName('redis')} or --redis set) keeps its state
there, not in the database: backup then stops (exit 2) and says how to back Redis up.
  --data-dir DIR  the server's data dir (default: $${envName('data-dir')},
                  else $LANRAGE_HOME/server, else ~/.lanrage/server)
  --redis URL     the server's Redis, as it is given (backup then stops, as with the variable)
  --sqlite        copy the SQLite database even with Redis set (a server on Redis does not
                  read or write it: it holds what a server without --redis left there)`;

/** backup on a server whose state is in Redis: not a flag mistake, so no usage after it. */
export class StateInRedisError extends Error {
  override name = 'StateInRedisError';
}

const FLAGS: FlagOptions = {
  'data-dir': { type: 'string' },
  redis: { type: 'string' },
  sqlite: { type: 'boolean' },
};

/** redis-cli's flags for where `url` points (never its password). */
function redisCliTarget(url: string): string {
  try {
    const { hostname, port } = new URL(url);
    return `-h ${hostname} -p ${port || '6379'}`;
  } catch {
    return '-h HOST -p PORT';
  }
}

/**
 * With Redis set, lanrage.db is at best what the server left before it moved to Redis: the
 * copy printed "Backed up 1 party" while holding none of the live state, and with no
 * lanrage.db (compose.yaml) it said only "There is no database", not a word of Redis.
 * The snapshot holds every session token, and redis-cli writes it with the umask (0644).
 */
function stateInRedis(read: FlagValues): StateInRedisError {
  const url = read.values.redis ?? '';
  return new StateInRedisError(
    `${flagLabel('redis', read)} is set: this server's parties, sessions and access rules are ` +
      `in Redis (${redisWhere(url)}), not in a SQLite file, so there is nothing of them to copy here. Back ` +
      `Redis up with its own tools: \`(umask 077 && redis-cli ${redisCliTarget(url)} --rdb FILE)\` ` +
      'writes one consistent snapshot (add -a or REDISCLI_AUTH for a password) readable by you ' +
      'only, as it holds every session token (redis-cli alone makes it 0644), or copy its AOF ' +
      'file, or the dump.rdb that BGSAVE writes. To copy the SQLite database in the data dir anyway (the ' +
      'server on Redis does not use it), add --sqlite.',
  );
}

/**
 * The `backup` subcommand's arguments: [data dir, FILE].
 * @throws StateInRedisError with Redis set and no --sqlite; Error fit for the terminal.
 */
export function parseBackupArgs(argv: string[], env: NodeJS.ProcessEnv): [string, string] {
  const { values, positionals } = readFlagsWith(parseArgs, argv, FLAGS, true);
  if (positionals.length !== 1 || !positionals[0]) {
    throw new Error('backup needs exactly one FILE to write the copy to');
  }
  const given = { 'data-dir': values['data-dir'], redis: values.redis } as FlagValues['values'];
  // The server's own settings in its container or unit (the others are not ours).
  const read = withEnv(given, ['data-dir', 'redis'], env, false);
  if (read.values.redis && values.sqlite !== true) throw stateInRedis(read);
  return [dataDirFrom(read.values['data-dir'], env), positionals[0]];
}

/** Copies the database; the line to print when done. @throws Error fit for the terminal. */
export function runBackup(dataDir: string, file: string): string {
  const done = backupDatabase(dataDir, file);
  const parties = counted(done.parties, 'party', 'parties');
  return `Backed up ${parties} (${done.bytes} bytes) to ${done.file}`;
}
