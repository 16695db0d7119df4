/**
 * `npm run bench:server [-- flags]` (`-- --help` lists them). The flags' texts are the help;
 * the README's Performance section says how the figures are read.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { stopChildrenOnExit } from '../lib/proc';
import { RESULTS_DIR, writeResults } from '../lib/results';
import { FULL_SCALES, SMOKE_SCALES, ScaleArgSchema, runServerBench } from './bench';
import { serverTable } from './table';
import { flagProblem, parseFlags, runMain } from '../lib/cli';
import { makeDir } from '../../electron/core/state/make-dirs';

const ABOUT = `
Our control server against a minimal raw-ws fan-out server on the same machine: connect, join,
fan-out under churn, join latency, heartbeats, and every acknowledged member still there after
kill -9. Prints a table and writes the results JSON.`;

const ArgsSchema = z.object({
  smoke: z.boolean().default(false).describe('the smallest scale only (CI proves it runs)'),
  scale: z
    .array(ScaleArgSchema)
    .default([])
    .describe('N/R: N peers in parties of R, e.g. 5000/8 (default: every scale)'),
  'hold-seconds': z.coerce
    .number()
    .positive()
    .max(600)
    .optional()
    .describe('how long every peer heartbeats at the announced interval'),
  out: z.string().min(1).default(join(RESULTS_DIR, 'server.json')).describe('results JSON'),
  'server-node-arg': z
    .array(z.string().startsWith('--'))
    .default([])
    .describe("a flag for both servers' node, e.g. --server-node-arg=--cpu-prof"),
  'server-arg': z
    .array(z.string().min(1))
    .default([])
    .describe('a flag for our server only, e.g. --server-arg=--commits-on-loop --server-arg=off'),
  redis: z
    .boolean()
    .default(false)
    .describe('also our server on Redis, one instance and two sharing it (needs redis-server)'),
  repeat: z.coerce
    .number()
    .int()
    .min(1)
    .max(9)
    .default(1)
    .describe('raw/ours pairs a scale, order alternating; targets judged on the medians'),
  'ours-store': z
    .enum(['sqlite', 'memory'])
    .default('sqlite')
    .describe('memory: our server without durable commits (its durability row reads LOST)'),
  'server-output-dir': z
    .string()
    .min(1)
    .optional()
    .describe(
      "each measured server's stdout and stderr appended to DIR/<server><N>x<R>.log (made if " +
        'missing), e.g. for --server-node-arg=--trace-gc',
    ),
});

/** The output directory, made if missing (before any server starts, so a bad path fails first). */
function outputDir(dir: string | undefined): string | undefined {
  if (dir === undefined) return dir;
  try {
    makeDir(dir);
  } catch (error) {
    flagProblem('bench:server', `--server-output-dir: ${(error as Error).message}`);
  }
  return dir;
}

async function main(): Promise<void> {
  stopChildrenOnExit();
  const args = parseFlags('bench:server', ArgsSchema, ABOUT);
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
    serverOutputDir: outputDir(args['server-output-dir']),
    log: (line) => console.error(line),
  });
  writeResults(args.out, results);
  console.log(serverTable(results));
  console.log(`\nresults: ${args.out}`);
}

runMain(main);
