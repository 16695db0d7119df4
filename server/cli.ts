/**
 * `npm run server -- [--host H] [--port P] [--data-dir DIR] [--tls-cert F --tls-key F]`
 * Prints exactly one line on stdout once listening; logs go to stderr.
 * `npm run server -- backup FILE [--data-dir DIR]` copies the database and exits.
 */
import fs from 'node:fs';
import { runBackupCommand } from './backup';
import { parseCli, type ParsedCli } from './cli-args';
import { consoleLogger } from './logger';
import { startServer } from './server';

function readTls(args: ParsedCli): { cert: Buffer; key: Buffer } | undefined {
  if (!args.tls) return undefined;
  return { cert: fs.readFileSync(args.tls.certFile), key: fs.readFileSync(args.tls.keyFile) };
}

async function main(): Promise<void> {
  if (process.argv[2] === 'backup') return runBackupCommand(process.argv.slice(3), process.env);
  let args: ParsedCli;
  try {
    args = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`lanrage-server: ${error instanceof Error ? error.message : String(error)}`);
    console.error(
      'usage: server [--host 127.0.0.1] [--port 8667] [--data-dir DIR] [--tls-cert F --tls-key F]',
    );
    process.exit(2);
  }
  const server = await startServer({
    host: args.host,
    port: args.port,
    dataDir: args.dataDir,
    tls: readTls(args),
    peerTimeoutMs: args.peerTimeoutMs,
    sweepIntervalMs: args.sweepIntervalMs,
    heartbeatIntervalS: args.heartbeatIntervalS,
    rateLimit:
      args.rateLimit === 0
        ? null
        : { burst: Math.max(2 * args.rateLimit, 10), perSecond: args.rateLimit, maxStrikes: 100 },
    logger: consoleLogger,
    ...args.limits,
  });
  consoleLogger.info(`Data in ${args.dataDir}`);
  process.stdout.write(`LANrage control server listening on ${server.url}\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    consoleLogger.info(`${signal}: shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        consoleLogger.error(String(error));
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  consoleLogger.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
