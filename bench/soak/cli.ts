/**
 * `npm run bench:soak [-- flags]` (`-- --help` lists them). Needs `node --expose-gc` (the npm
 * script gives it). Compare the `--snapshots` files with heap-diff.ts.
 */
import { z } from 'zod';
import { soakFlags } from './flags';
import { parseFlags, runMain } from '../lib/cli';
import { finishResults } from '../lib/results';
import { runSoak } from './soak';
import { heapTable, outcomesTable, sizesTable, verdictLines } from './table';

const ABOUT = `
The control server in this process under churn for K + S·K cycles, its heap read after full
garbage collections at the warm-up and after each further K: does it stay flat? Prints the heap
table, the per-key structures' sizes and the answers tallied.`;

/** The smoke's warm-up and its one segment. */
const SMOKE_CYCLES = 10;

const ArgsSchema = z.object({
  ...soakFlags("the server's", SMOKE_CYCLES),
  lanes: z.coerce.number().int().min(1).max(32).default(4).describe('parties churning at once'),
  store: z
    .enum(['sqlite', 'memory', 'redis'])
    .default('sqlite')
    .describe('redis: a redis-server of its own (needs redis-server), two servers sharing it'),
});

async function main(): Promise<void> {
  const args = parseFlags('bench:soak', ArgsSchema, ABOUT);
  const results = await runSoak({
    warmup: args.smoke ? SMOKE_CYCLES : args.warmup,
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
