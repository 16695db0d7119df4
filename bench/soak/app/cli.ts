/**
 * `npm run bench:soak-app [-- flags]` (`-- --help` lists them). Compare the `--snapshots`
 * files with heap-diff.ts.
 */
import { z } from 'zod';
import { soakFlags } from '../flags';
import { parseFlags, runMain } from '../../lib/cli';
import { finishResults } from '../../lib/results';
import { runAppSoak, type AppSoakResults } from './soak';
import { heapTable, outcomesTable, sizesTable } from '../table';

const ABOUT = `
The app (its core, in a process of its own under node --expose-gc) hosting a party through K +
S·K cycles of churn, on a control server or on the server it embeds; its heap read after full
garbage collections, and what it holds, at the warm-up and after each further K: does it stay
flat? Prints the heap table, the sizes and the answers tallied.`;

/** The smoke's warm-up and its one segment. */
const SMOKE_CYCLES = 10;

const ArgsSchema = z.object({
  ...soakFlags("the app's", SMOKE_CYCLES),
  mode: z
    .enum(['remote', 'local'])
    .default('remote')
    .describe('remote: on a control server; local: on the server the app embeds'),
  kicks: z
    .enum(['on', 'off'])
    .default('on')
    .describe('off: the friend the app would remove leaves by itself (no notice kept)'),
  'app-node-arg': z
    .array(z.string().startsWith('--'))
    .default([])
    .describe("a flag for the app's node, e.g. --app-node-arg=--max-opt=1"),
});

async function main(): Promise<void> {
  const args = parseFlags('bench:soak-app', ArgsSchema, ABOUT);
  const results = await runAppSoak({
    mode: args.mode,
    kicks: args.kicks === 'on',
    warmup: args.smoke ? SMOKE_CYCLES : args.warmup,
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
