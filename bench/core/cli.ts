/**
 * `npm run bench:core [-- flags]` (`-- --help` lists them).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { RESULTS_DIR, writeResults } from '../lib/results';
import { FULL_CORE, SMOKE_CORE } from './types';
import { runCoreBench } from './bench';
import { coreTable } from './table';
import { parseFlags, runMain } from '../lib/cli';

const ABOUT = `
The party engine as local mode runs it (the embedded server's core over its file store),
in process, persistence on. Prints a table and writes the results JSON.`;

const ArgsSchema = z.object({
  smoke: z
    .boolean()
    .default(false)
    .describe('20 parties of 5 instead of 1 000 of 10 (CI proves it runs)'),
  out: z.string().min(1).default(join(RESULTS_DIR, 'core.json')).describe('results JSON'),
});

async function main(): Promise<void> {
  const args = parseFlags('bench:core', ArgsSchema, ABOUT);
  const results = await runCoreBench(args.smoke ? SMOKE_CORE : FULL_CORE, args.smoke);
  writeResults(args.out, results);
  console.log(coreTable(results));
  console.log(`\nresults: ${args.out}`);
}

runMain(main);
