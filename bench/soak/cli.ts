/**
 * `npm run bench:soak [-- --warmup K] [-- --segments S] [-- --lanes L] [-- --store memory|redis]
 *   [-- --snapshots DIR] [-- --out FILE] [-- --smoke]`
 * Runs the control server in this process under churn for K + S·K cycles and reads its
 * heap after full GCs at the warm-up and after each further K: does it stay flat? Prints
 * the heap table, the per-key structures' sizes and the answers tallied; `--out` writes
 * the results JSON; `--snapshots DIR` writes heap snapshots at the first and last
 * checkpoints (compare them with heap-diff.ts). Needs `node --expose-gc` (the npm script).
 * `--smoke`: 10 cycles, then 10 more (CI's proof that it runs; its heap figures mean little).
 * `--store redis`: a redis-server of its own (needs `redis-server`), two servers sharing it.
 */
import { z } from 'zod';
import { parseFlags, runMain } from '../lib/cli';
import { finishResults } from '../lib/results';
import { runSoak } from './soak';
import { heapTable, outcomesTable, sizesTable, verdictLines } from './table';

const ArgsSchema = z.object({
  warmup: z.coerce.number().int().min(10).max(100_000).default(200),
  segments: z.coerce.number().int().min(1).max(50).default(5),
  lanes: z.coerce.number().int().min(1).max(32).default(4),
  store: z.enum(['sqlite', 'memory', 'redis']).default('sqlite'),
  snapshots: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  smoke: z.boolean().default(false),
});

async function main(): Promise<void> {
  const args = parseFlags(
    'bench:soak',
    {
      warmup: { type: 'string' },
      segments: { type: 'string' },
      lanes: { type: 'string' },
      store: { type: 'string' },
      snapshots: { type: 'string' },
      out: { type: 'string' },
      smoke: { type: 'boolean' },
    },
    ArgsSchema,
  );
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
