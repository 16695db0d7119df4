/**
 * `npm run bench:core [-- --smoke] [-- --out FILE]`
 * The in-process ControlPlane with persistence on; prints a table, writes the results JSON.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { RESULTS_DIR, writeResults } from '../lib/results';
import { FULL_CORE, SMOKE_CORE } from './types';
import { runCoreBench } from './bench';
import { coreTable } from './table';
import { parseFlags, runMain } from '../lib/cli';

const ArgsSchema = z.object({
  smoke: z.boolean().default(false),
  out: z.string().min(1).default(join(RESULTS_DIR, 'core.json')),
});

async function main(): Promise<void> {
  const args = parseFlags(
    'bench:core',
    { smoke: { type: 'boolean' }, out: { type: 'string' } },
    ArgsSchema,
  );
  const results = await runCoreBench(args.smoke ? SMOKE_CORE : FULL_CORE, args.smoke);
  writeResults(args.out, results);
  console.log(coreTable(results));
  console.log(`\nresults: ${args.out}`);
}

runMain(main);
