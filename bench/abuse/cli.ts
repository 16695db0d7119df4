/**
 * `npm run bench:abuse [-- --smoke] [-- --samples N] [-- --out FILE] [-- --only ATTACK]...
 *   [-- --server-node-arg ARG]...` (e.g. `--only never_reading --server-node-arg=--cpu-prof`)
 * A well-behaved client's join latency under five attacks against the server's production
 * limits; prints a table, writes the results JSON.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ATTACKS } from './attacks';
import { FULL_SCALE, SMOKE_SCALE, runAbuseBench } from './bench';
import { abuseTable } from './table';
import { parseFlags, runMain } from '../lib/cli';
import { stopChildrenOnExit } from '../lib/proc';
import { RESULTS_DIR, writeResults } from '../lib/results';

const ArgsSchema = z.object({
  smoke: z.boolean().default(false),
  samples: z.coerce.number().int().min(5).max(10_000).optional(),
  out: z.string().min(1).default(join(RESULTS_DIR, 'abuse.json')),
  only: z.array(z.enum(ATTACKS)).default([]),
  'server-node-arg': z.array(z.string().startsWith('--')).default([]),
});

async function main(): Promise<void> {
  stopChildrenOnExit();
  const args = parseFlags(
    'bench:abuse',
    {
      smoke: { type: 'boolean' },
      samples: { type: 'string' },
      out: { type: 'string' },
      only: { type: 'string', multiple: true },
      'server-node-arg': { type: 'string', multiple: true },
    },
    ArgsSchema,
  );
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
