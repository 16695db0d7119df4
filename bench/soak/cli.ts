/**
 * `npm run bench:soak [-- flags]` (`-- --help` lists them). Needs `node --expose-gc` (the npm
 * script gives it). Compare the `--snapshots` files with heap-diff.ts.
 */
import { z } from 'zod';
import { parseFlags, runMain } from '../lib/cli';
import { finishResults } from '../lib/results';
import { runSoak } from './soak';
import { heapTable, outcomesTable, sizesTable, verdictLines } from './table';

const ABOUT = `The control server in this process under churn for K + S·K cycles, its heap read after full
garbage collections at the warm-up and after each further K: does it stay flat? Prints the
heap table, the per-key structures' sizes and the answers tallied.`;

const ArgsSchema = z.object({
  warmup: z.coerce
    .number()
    .int()
    .min(10)
    .max(100_000)
    .default(200)
    .describe('K: cycles before the first reading, and between two'),
  segments: z.coerce.number().int().min(1).max(50).default(5).describe('S: readings after it'),
  lanes: z.coerce.number().int().min(1).max(32).default(4).describe('parties churning at once'),
  store: z
    .enum(['sqlite', 'memory', 'redis'])
    .default('sqlite')
    .describe('redis: a redis-server of its own (needs redis-server), two servers sharing it'),
  snapshots: z
    .string()
    .min(1)
    .optional()
    .describe('a folder for heap snapshots at the first and last readings'),
  out: z.string().min(1).optional().describe('results JSON'),
  smoke: z
    .boolean()
    .default(false)
    .describe('10 cycles, then 10 more (CI proves it runs; its heap figures mean little)'),
});

async function main(): Promise<void> {
  const args = parseFlags('bench:soak', ArgsSchema, ABOUT);
  const results = await runSoak({
    warmup: args.smoke ? 10 : args.warmup,
    segments: args.smoke ? 1 : args.segments,
    lanes: args.smoke ? 2 : args.lanes,
    store: args.store,
    snapshotsDir: args.snapshots ?? null,
    log: (line) => console.error(line),
  });
  console.log(heapTable(results));
  console.log(`\n${sizesTable(results)}`);
  console.log(`\n${outcomesTable(results)}`);
  console.log(`\nunexpected failures: ${results.failures}`);
  console.log(verdictLines(results));
  finishResults(results, args.out);
}

runMain(main);
