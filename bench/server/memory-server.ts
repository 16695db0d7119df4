/**
 * Our server with its state in memory instead of SQLite: `bench:server -- --ours-store memory`
 * runs it in place of server/cli.ts, same flags, to split what the durable commit costs
 * from what our code costs. Nothing it acknowledges survives a restart (its durability row
 * says so): a diagnostic, never a way to run the server.
 */
import { parseCli } from '../../server/cli/args';
import { serverOptions } from '../../server/cli/options';
import { createServerLogger } from '../../server/logger';
import { startServer } from '../../server/server';
import { MemoryPartyStore } from '../../server/store/test-util/memory-store';

async function main(): Promise<void> {
  const args = parseCli(process.argv.slice(2), process.env);
  const logger = createServerLogger({ level: args.logLevel });
  const options = serverOptions(args, undefined, logger);
  const server = await startServer({ ...options, store: new MemoryPartyStore() });
  process.stdout.write(`LANrage control server listening on ${server.url}\n`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
