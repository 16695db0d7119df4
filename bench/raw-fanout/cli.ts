/**
 * Entry point of the raw-ws baseline, run as its own process by the server bench:
 *   tsx bench/raw-fanout/cli.ts [--port N] [--host 127.0.0.1]
 * Prints `raw fan-out server listening on ws://HOST:PORT/ws` once it accepts connections.
 */
import { z } from 'zod';
import { parseFlags, runMain } from '../lib/cli';
import { startRawFanoutServer } from './server';

const ABOUT = `
The raw-ws fan-out baseline of bench:server (join a room, broadcast JSON, answer heartbeats; no
validation, no persistence), on loopback. Runs until SIGTERM or SIGINT.`;

const ArgsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(0).describe('0: any free port'),
  host: z.literal('127.0.0.1').default('127.0.0.1').describe('loopback only'),
});

async function main(): Promise<void> {
  const args = parseFlags('tsx bench/raw-fanout/cli.ts', ArgsSchema, ABOUT);
  const server = await startRawFanoutServer(args.host, args.port);
  console.log(`raw fan-out server listening on ${server.url}`);
  // runMain exits once main settles: the server runs until a signal closes it.
  await new Promise<void>((resolve) => {
    const stop = (): void => void server.close().then(resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

runMain(main);
