/**
 * Entry point of the raw-ws baseline, run as its own process by the server bench:
 *   tsx bench/raw-fanout/cli.ts [--port N] [--host 127.0.0.1]
 * Prints `raw fan-out server listening on ws://HOST:PORT/ws` once it accepts connections.
 */
import { z } from 'zod';
import { parseArgs } from 'node:util';
import { startRawFanoutServer } from './server';

const ArgsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(0),
  host: z.literal('127.0.0.1').default('127.0.0.1'),
});

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`raw-fanout-server: ${parsed.error.issues[0]?.message ?? 'bad arguments'}`);
    process.exit(2);
  }
  const server = await startRawFanoutServer(parsed.data.host, parsed.data.port);
  console.log(`raw fan-out server listening on ${server.url}`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
