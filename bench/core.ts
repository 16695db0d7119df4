/**
 * `npm run bench:core [-- --smoke] [-- --out FILE]`
 * The in-process ControlPlane with persistence on; prints a table, writes the results JSON.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { z } from 'zod';
import { RESULTS_DIR, writeResults } from './lib/results';
import { FULL_CORE, SMOKE_CORE, runCoreBench } from './core-bench';
import { coreTable } from './core-table';

const ArgsSchema = z.object({
  smoke: z.boolean().default(false),
  out: z.string().min(1).default(join(RESULTS_DIR, 'core.json')),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { smoke: { type: 'boolean' }, out: { type: 'string' } },
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(
      `bench:core: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
    process.exit(2);
  }
  const results = await runCoreBench(parsed.data.smoke ? SMOKE_CORE : FULL_CORE, parsed.data.smoke);
  writeResults(parsed.data.out, results);
  console.log(coreTable(results));
  console.log(`\nresults: ${parsed.data.out}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
