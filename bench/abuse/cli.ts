/**
 * `npm run bench:abuse [-- flags]` (`-- --help` lists them), e.g. `-- --only never_reading
 * --server-node-arg=--cpu-prof` to profile one attack.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ATTACKS } from './attacks';
import { FULL_SCALE, SMOKE_SCALE, runAbuseBench } from './bench';
import { abuseTable } from './table';
import { parseFlags, runMain } from '../lib/cli';
import { stopChildrenOnExit } from '../lib/proc';
import { RESULTS_DIR, writeResults } from '../lib/results';

const ABOUT = `
A well-behaved client's join latency while six attacks run against the server's production
limits. Prints a table and writes the results JSON.`;

const ArgsSchema = z.object({
  smoke: z.boolean().default(false).describe('a small scale and few samples (CI proves it runs)'),
  samples: z.coerce
    .number()
    .int()
    .min(5)
    .max(10_000)
    .optional()
    .describe('joins timed under each attack (default 1000, 20 with --smoke)'),
  out: z.string().min(1).default(join(RESULTS_DIR, 'abuse.json')).describe('results JSON'),
  only: z.array(z.enum(ATTACKS)).default([]).describe('run this attack only (default: all)'),
  'server-node-arg': z
    .array(z.string().startsWith('--'))
    .default([])
    .describe("a flag for the server's node, e.g. --server-node-arg=--cpu-prof"),
});

async function main(): Promise<void> {
  stopChildrenOnExit();
  const args = parseFlags('bench:abuse', ArgsSchema, ABOUT);
  const results = await runAbuseBench({
    scale: args.smoke ? SMOKE_SCALE : FULL_SCALE,
    samples: args.samples ?? (args.smoke ? 20 : 1000),
    attacks: args.only.length > 0 ? args.only : ATTACKS,
    serverNodeArgs: args['server-node-arg'],
    log: (line) => console.error(line),
  });
  writeResults(args.out, results);
  console.log(abuseTable(results));
  console.log(`\nresults: ${args.out}`);
}

runMain(main);
