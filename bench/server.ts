/**
 * `npm run bench:server [-- --smoke] [-- --hold-seconds S] [-- --out FILE]`
 * The control server against the raw-ws baseline; prints a table, writes the results JSON.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { z } from 'zod';
import { stopChildrenOnExit } from './lib/proc';
import { RESULTS_DIR, writeResults } from './lib/results';
import { FULL_SCALES, SMOKE_SCALES, runServerBench } from './server-bench';
import { serverTable } from './server-table';

const ArgsSchema = z.object({
  smoke: z.boolean().default(false),
  'hold-seconds': z.coerce.number().positive().max(600).optional(),
  out: z.string().min(1).default(join(RESULTS_DIR, 'server.json')),
});

async function main(): Promise<void> {
  stopChildrenOnExit();
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean' },
      'hold-seconds': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(
      `bench:server: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
    process.exit(2);
  }
  const args = parsed.data;
  const results = await runServerBench({
    scales: args.smoke ? SMOKE_SCALES : FULL_SCALES,
    smoke: args.smoke,
    holdSeconds: args['hold-seconds'] ?? null,
    log: (line) => console.error(line),
  });
  writeResults(args.out, results);
  console.log(serverTable(results));
  console.log(`\nresults: ${args.out}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
