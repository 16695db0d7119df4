/**
 * `npm run bench:server [-- --smoke] [-- --scale N/R]... [-- --hold-seconds S] [-- --out FILE]
 *   [-- --server-node-arg ARG]... [-- --server-arg ARG]... [-- --redis] [-- --repeat K]
 *   [-- --ours-store memory]`
 * `--redis` adds our server on Redis, one instance and two instances sharing it.
 * `--repeat K` measures each scale as K raw/ours pairs (order alternating) and judges the
 * targets on the medians of their ratios, shown with their ranges.
 * The control server against the raw-ws baseline; prints a table, writes the results JSON.
 * `--scale 5000/8` runs that one scale (repeatable); `--server-node-arg --cpu-prof` passes
 * a flag to our server's node process (profiling); `--server-arg` a flag to our server itself
 * (`--server-arg=--commits-on-loop --server-arg=off`). `--ours-store memory` runs our server on
 * an in-memory store instead of SQLite (memory-server.ts): what is left of the gap to raw ws
 * is our code's, the rest was the durable commit's. Its durability row then reads LOST.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { stopChildrenOnExit } from '../lib/proc';
import { RESULTS_DIR, writeResults } from '../lib/results';
import { FULL_SCALES, SMOKE_SCALES, ScaleArgSchema, runServerBench } from './bench';
import { serverTable } from './table';
import { parseFlags, runMain } from '../lib/cli';

const ArgsSchema = z.object({
  smoke: z.boolean().default(false),
  scale: z.array(ScaleArgSchema).default([]),
  'hold-seconds': z.coerce.number().positive().max(600).optional(),
  out: z.string().min(1).default(join(RESULTS_DIR, 'server.json')),
  'server-node-arg': z.array(z.string().startsWith('--')).default([]),
  'server-arg': z.array(z.string().min(1)).default([]),
  /** Also our server on Redis (one and two instances; needs redis-server). */
  redis: z.boolean().default(false),
  /** Raw/ours pairs per scale; the ratios judged are their medians (bench/server/repeat.ts). */
  repeat: z.coerce.number().int().min(1).max(9).default(1),
  'ours-store': z.enum(['sqlite', 'memory']).default('sqlite'),
});

function parse(): z.infer<typeof ArgsSchema> {
  return parseFlags(
    'bench:server',
    {
      smoke: { type: 'boolean' },
      scale: { type: 'string', multiple: true },
      'hold-seconds': { type: 'string' },
      out: { type: 'string' },
      'server-node-arg': { type: 'string', multiple: true },
      'server-arg': { type: 'string', multiple: true },
      redis: { type: 'boolean' },
      repeat: { type: 'string' },
      'ours-store': { type: 'string' },
    },
    ArgsSchema,
  );
}

async function main(): Promise<void> {
  stopChildrenOnExit();
  const args = parse();
  const defaults = args.smoke ? SMOKE_SCALES : FULL_SCALES;
  const results = await runServerBench({
    scales: args.scale.length > 0 ? args.scale : defaults,
    smoke: args.smoke,
    holdSeconds: args['hold-seconds'] ?? null,
    serverNodeArgs: args['server-node-arg'],
    serverArgs: args['server-arg'],
    redis: args.redis,
    repeat: args.repeat,
    oursStore: args['ours-store'],
    log: (line) => console.error(line),
  });
  writeResults(args.out, results);
  console.log(serverTable(results));
  console.log(`\nresults: ${args.out}`);
}

runMain(main);
