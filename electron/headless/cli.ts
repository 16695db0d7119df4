/**
 * `npm run headless -- --port 8666 [--renderer-dir out/renderer]`: the app without
 * Electron. Prints exactly one line with the URL to open, then serves until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDefaultAppService } from '../core/app-service-factory';
import { startHeadless } from './headless-server';

const FlagsSchema = z.object({
  // Digits only: z.coerce would read '' or ' ' as 0 and silently pick a random port.
  port: z
    .string()
    .regex(/^\d+$/, '--port must be a whole number')
    .transform(Number)
    .pipe(z.number().max(65535, '--port must be 0 (any free port) to 65535'))
    .default(8666),
  'renderer-dir': z.string().min(1, '--renderer-dir must not be empty').default('out/renderer'),
});

function parseFlags(argv: string[]): z.infer<typeof FlagsSchema> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'renderer-dir': { type: 'string' } },
    strict: true,
  });
  const parsed = FlagsSchema.safeParse(values);
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid flags');
  return parsed.data;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const handle = await startHeadless({
    port: flags.port,
    rendererDir: flags['renderer-dir'],
    createService: () => createDefaultAppService(),
  });
  console.log(`LANrage headless UI at ${handle.url}`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    handle.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('LANrage headless: error while closing:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`LANrage headless: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
