/**
 * `npm run bench:soak-app [-- --warmup K] [-- --segments S] [-- --snapshots DIR] [-- --out FILE]
 *   [-- --smoke]`
 * Runs the app (its core, in a process of its own under `node --expose-gc`) hosting a party
 * on a control server through K + S·K cycles of churn, and reads its heap after full GCs and
 * what it holds at the warm-up and after each further K: does it stay flat? Prints the heap
 * table, the sizes and the answers tallied; `--out` writes the results JSON; `--snapshots DIR`
 * writes the app's heap snapshots at the first and last checkpoints (heap-diff.ts compares).
 * `--smoke`: 10 cycles, then 10 more (CI's proof that it runs; its heap figures mean little).
 */
import { z } from 'zod';
import { parseFlags, runMain } from '../../lib/cli';
import { writeResults } from '../../lib/results';
import { runAppSoak } from './soak';
import { heapTable, outcomesTable, sizesTable } from '../table';

const ArgsSchema = z.object({
  mode: z.enum(['remote', 'local']).default('remote'),
  warmup: z.coerce.number().int().min(10).max(100_000).default(100),
  segments: z.coerce.number().int().min(1).max(50).default(4),
  snapshots: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  smoke: z.boolean().default(false),
});

async function main(): Promise<void> {
  const args = parseFlags(
    'bench:soak-app',
    {
      mode: { type: 'string' },
      warmup: { type: 'string' },
      segments: { type: 'string' },
      snapshots: { type: 'string' },
      out: { type: 'string' },
      smoke: { type: 'boolean' },
    },
    ArgsSchema,
  );
  const results = await runAppSoak({
    mode: args.mode,
    warmup: args.smoke ? 10 : args.warmup,
    segments: args.smoke ? 1 : args.segments,
    snapshotsDir: args.snapshots ?? null,
    log: (line) => console.error(line),
  });
  console.log(heapTable(results));
  console.log(`\n${sizesTable(results)}`);
  console.log(`\n${outcomesTable(results)}`);
  console.log(`\nunexpected failures: ${results.failures}`);
  if (results.first_failure) console.log(`first failure: ${results.first_failure}`);
  console.log(`heap ratio (last / warm-up): ${results.ratio.toFixed(3)}`);
  console.log(`growth: ${Math.round(results.bytes_per_cycle)} B/cycle`);
  console.log(`old space growth: ${Math.round(results.old_space_bytes_per_cycle)} B/cycle`);
  const data = `${results.data_ratio.toFixed(3)}, ${Math.round(results.data_bytes_per_cycle)} B/cycle`;
  console.log(`without compiled code: ratio ${data}`);
  if (args.out) {
    writeResults(args.out, results);
    console.log(`results: ${args.out}`);
  }
  const missed = Object.entries(results.targets).filter(([, t]) => !t.met);
  for (const [name, t] of missed) console.log(`MISSED ${name}: ${t.target} (${t.value})`);
}

runMain(main);
