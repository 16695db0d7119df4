/**
 * `npm run bench:soak-app [-- --mode remote|local] [-- --warmup K] [-- --segments S]
 *   [-- --kicks on|off] [-- --snapshots DIR] [-- --app-node-arg ARG]... [-- --out FILE]
 *   [-- --smoke]`
 * Runs the app (its core, in a process of its own under `node --expose-gc`) hosting a party
 * through K + S·K cycles of churn, on a control server (`remote`, the default) or on the
 * server it embeds (`local`), and reads its heap after full GCs and what it holds at the
 * warm-up and after each further K: does it stay flat? Prints the heap table, the sizes and
 * the answers tallied; `--out` writes the results JSON; `--snapshots DIR` writes the app's
 * heap snapshots at the first and last checkpoints (heap-diff.ts compares them); `--kicks
 * off` has the friend the app would kick leave by itself (no removal notice kept);
 * `--app-node-arg=--max-opt=1` keeps the app's V8 to its baseline compiler (its optimiser's
 * metadata is heap the data reading counts).
 * `--smoke`: 10 cycles, then 10 more (CI's proof that it runs; its heap figures mean little).
 */
import { z } from 'zod';
import { parseFlags, runMain } from '../../lib/cli';
import { finishResults } from '../../lib/results';
import { runAppSoak, type AppSoakResults } from './soak';
import { heapTable, outcomesTable, sizesTable } from '../table';

const ArgsSchema = z.object({
  mode: z.enum(['remote', 'local']).default('remote'),
  kicks: z.enum(['on', 'off']).default('on'),
  warmup: z.coerce.number().int().min(10).max(100_000).default(200),
  segments: z.coerce.number().int().min(1).max(50).default(5),
  snapshots: z.string().min(1).optional(),
  'app-node-arg': z.array(z.string().startsWith('--')).default([]),
  out: z.string().min(1).optional(),
  smoke: z.boolean().default(false),
});

async function main(): Promise<void> {
  const args = parseFlags(
    'bench:soak-app',
    {
      mode: { type: 'string' },
      kicks: { type: 'string' },
      warmup: { type: 'string' },
      segments: { type: 'string' },
      snapshots: { type: 'string' },
      'app-node-arg': { type: 'string', multiple: true },
      out: { type: 'string' },
      smoke: { type: 'boolean' },
    },
    ArgsSchema,
  );
  const results = await runAppSoak({
    mode: args.mode,
    kicks: args.kicks === 'on',
    warmup: args.smoke ? 10 : args.warmup,
    segments: args.smoke ? 1 : args.segments,
    snapshotsDir: args.snapshots ?? null,
    appNodeArgs: args['app-node-arg'],
    log: (line) => console.error(line),
  });
  console.log(report(results));
  finishResults(results, args.out);
}

/** The tables, then what the heap did and what explains it. */
function report(results: AppSoakResults): string {
  const r = results;
  const c = r.entry_costs;
  const perCycle = (bytes: number) => `${Math.round(bytes)} B/cycle`;
  return [
    heapTable(r),
    `\n${sizesTable(r)}`,
    `\n${outcomesTable(r)}`,
    `\nunexpected failures: ${r.failures}`,
    ...(r.first_failure ? [`first failure: ${r.first_failure}`] : []),
    `heap ratio (last / warm-up): ${r.ratio.toFixed(3)}; growth ${perCycle(r.bytes_per_cycle)}`,
    `old space growth: ${perCycle(r.old_space_bytes_per_cycle)}`,
    `without compiled code: ratio ${r.data_ratio.toFixed(3)}, ${perCycle(r.data_bytes_per_cycle)}`,
    `by design: ${perCycle(r.by_design_bytes_per_cycle)} (a kick's notice ${c.notice} B, ` +
      `a used party id ${c.used_id} B); residual: ${perCycle(r.residual_bytes_per_cycle)}`,
  ].join('\n');
}

runMain(main);
