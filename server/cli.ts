/**
 * `npm run server -- [--host H] [--port P] [--data-dir DIR] [--tls-cert F --tls-key F]`
 * Prints exactly one line on stdout once listening; logs (JSON, pino) go to stderr.
 * SIGTERM or SIGINT drains: every client is told to reconnect (1012), then the process exits.
 * `npm run server -- backup FILE [--data-dir DIR]` copies the database and exits.
 * `npm run server -- admin parties|end-party ID --token-file F` asks a running server's
 * moderation API (`--admin-token-file`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DB_FILE } from './store/sqlite-store';
import { ADMIN_HELP, parseAdminArgs, runAdmin } from './cli/admin-command';
import {
  BACKUP_HELP,
  BACKUP_USAGE,
  parseBackupArgs,
  runBackup,
  StateInRedisError,
} from './cli/backup-command';
import { asksForHelp } from './cli/flags';
import { parseCli, type ParsedCli } from './cli/args';
import { redisUrlWithSecret } from './cli/redis-secret';
import { serverHelp } from './cli/help';
import { createServerLogger } from './logger';
import { counted } from '../shared/counted';
import type { Logger } from '../shared/logger';
import { startServer } from './server';
import { readAdmin, readMetricsToken, readRelay, readTls, serverOptions } from './cli/options';
import type { RunningServer } from './server-core';
import type { RelayOptions } from './relay/turn-credentials';
import type { StateBackend } from './state/backend';
import { redisWhere } from './state/redis/url';

const SERVER_USAGE =
  'usage: npm run server -- [options] (a built server: node cli.js [options]); every flag: --help';

/** A flag the server cannot start with: a plain message and exit 2, before anything opens. */
function orExit<T>(read: () => T, hint?: string): T {
  try {
    return read();
  } catch (error) {
    console.error(`lanrage-server: ${error instanceof Error ? error.message : String(error)}`);
    if (hint) console.error(hint);
    process.exit(2);
  }
}

/** The Redis backend, loaded only when asked for (nothing else needs a Redis client). */
async function openBackend(args: ParsedCli, logger: Logger): Promise<StateBackend | undefined> {
  if (!args.redisUrl) return undefined;
  const { openRedisBackend } = await import('./state/redis/backend');
  const passwordFile = args.redisPasswordFile ?? undefined;
  return openRedisBackend(args.redisUrl, logger, passwordFile ? { passwordFile } : {});
}

/**
 * With --redis, a SQLite database in the data dir (from a server run without it) is not read:
 * its parties and rules stay there. A server moved to Redis used to start without them, silently.
 */
function warnSqliteLeftBehind(args: ParsedCli, logger: Logger): void {
  const file = path.join(args.dataDir, DB_FILE);
  if (!args.redisUrl || !fs.existsSync(file)) return;
  logger.warn(
    `${file} is not used with --redis: its parties, sessions, passwords, invites and bans stay ` +
      'there and are not moved to Redis (README: Scale out on Redis, from SQLite)',
  );
}

/** `admin …`: one request to a running server's moderation API; any failure one line, exit 2. */
async function adminCommand(argv: string[]): Promise<void> {
  if (asksForHelp(argv)) {
    process.stdout.write(`${ADMIN_HELP}\n`);
    return;
  }
  try {
    process.stdout.write(`${await runAdmin(parseAdminArgs(argv, process.env))}\n`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`lanrage-server admin: ${message}`);
    process.exit(2);
  }
}

/** `backup FILE`: one line on stdout when done; a plain message and exit 2 (flags) or 1. */
function backupCommand(argv: string[]): void {
  const fail = (error: unknown, code: number, hint?: string): never => {
    console.error(`lanrage-server backup: ${(error as Error).message}`);
    if (hint) console.error(hint);
    process.exit(code);
  };
  if (asksForHelp(argv)) {
    process.stdout.write(`${BACKUP_HELP}\n`);
    return;
  }
  let args: [string, string];
  try {
    args = parseBackupArgs(argv, process.env);
  } catch (error) {
    return fail(error, 2, error instanceof StateInRedisError ? undefined : BACKUP_USAGE);
  }
  try {
    process.stdout.write(`${runBackup(...args)}\n`);
  } catch (error) {
    fail(error, 1);
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'backup') return backupCommand(process.argv.slice(3));
  if (process.argv[2] === 'admin') return adminCommand(process.argv.slice(3));
  if (asksForHelp(process.argv.slice(2))) {
    process.stdout.write(`${serverHelp()}\n`);
    return;
  }
  const parsed = orExit(() => parseCli(process.argv.slice(2), process.env), SERVER_USAGE);
  const redisUrl = orExit(() => redisUrlWithSecret(parsed));
  const args = { ...parsed, redisUrl };
  const tls = orExit(() => readTls(args));
  const adminToken = orExit(() => readAdmin(args));
  const relay = orExit(() => readRelay(args));
  const metricsToken = orExit(() => readMetricsToken(args));
  const logger = createServerLogger({ level: args.logLevel });
  const fail = (error: unknown): never => {
    const message = error instanceof Error ? error.message : String(error);
    // Why the server did not start is said even with --log-level silent: it exited 1 mute.
    if (args.logLevel === 'silent') console.error(`lanrage-server: ${message}`);
    else logger.error(message);
    process.exit(1);
  };
  exitOnCrash(fail);
  const backend = await openBackend(args, logger).catch(fail);
  warnSqliteLeftBehind(args, logger);
  const server = await startServer(
    serverOptions(args, backend, logger, tls, adminToken, relay, metricsToken),
  ).catch(fail);
  logger.info(
    args.redisUrl ? `State in Redis at ${redisWhere(args.redisUrl)}` : `Data in ${args.dataDir}`,
  );
  if (relay) logger.info(relayLine(relay));
  process.stdout.write(`LANrage control server listening on ${server.url}\n`);
  drainOnSignals(server, logger);
}

/** Which relays members are sent to, for the operator to check; never the secret. */
function relayLine(relay: RelayOptions): string {
  return (
    `Relays on: members get TURN credentials for ${relay.urls.join(', ')}, ` +
    `each lasting ${relay.ttlSeconds} s`
  );
}

/**
 * An exception nothing caught leaves state the server cannot trust: it exits 1 (systemd and
 * Compose start it again; what it acknowledged is stored), said first as one JSON line with the
 * stack. Node printed the stack as plain text, which a log shipper reading JSON lines drops or
 * splits into one entry per line.
 */
function exitOnCrash(fail: (error: unknown) => never): void {
  const crash = (what: string) => (error: unknown) =>
    fail(
      `${what}, exiting: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  process.on('uncaughtException', crash('Uncaught exception'));
  process.on('unhandledRejection', crash('Unhandled promise rejection'));
}

/** SIGINT or SIGTERM: drain once (clients are told to reconnect), then exit. */
function drainOnSignals(server: RunningServer, logger: Logger): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: draining; clients are told to reconnect`);
    server.close().then(
      (unstored) => {
        // Said, so the log shows the drain finished rather than the process being killed.
        // "the store flushed" after changes it did not take (full disk, Redis away) was false.
        if (unstored.count === 0) {
          logger.info(`${signal}: drained (every client told to reconnect, the store flushed)`);
        } else {
          const lost = counted(unstored.count, 'change', 'changes');
          logger.warn(
            `${signal}: drained (every client told to reconnect; the store did not take ` +
              `${lost}, ${unstored.what}: they are not stored)`,
          );
        }
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(String(error));
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
