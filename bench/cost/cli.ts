/**
 * `npm run bench:cost [-- flags]` (`-- --help` lists them).
 * What it leaves out is the same for both sides (ws framing, syscalls, the load generator) and
 * dominates bench:server; this isolates our part, and does not swing with the machine's load
 * as throughput does. Target: a heartbeat costs the same in a party of 256 as of 8, compared
 * as ours/raw at each size: the process's own drift (heap growth, caches) between the rows
 * moves both sides alike (raw ws's own cost rose 2.2 → 3.3 µs across the rows in one run).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { parseFlags, runMain } from '../lib/cli';
import { machineInfo, RESULTS_DIR, writeResults } from '../lib/results';
import { markdownTable } from '../lib/table';
import { evictorOf, type Evictor } from './evict';
import { heartbeatCost, leaveJoinCost, type CostRow } from './scenarios';

const ABOUT = `
CPU our server's code spends per heartbeat and per leave + join cycle, in this process with
sockets that only count frames, against the raw-ws baseline's handler given the same frames.
Prints a table and writes the results JSON.`;

const ArgsSchema = z.object({
  smoke: z.boolean().default(false).describe('one run of each side (CI proves it runs)'),
  out: z.string().min(1).default(join(RESULTS_DIR, 'cost.json')).describe('results JSON'),
  'evict-kib': z.coerce
    .number()
    .int()
    .min(0)
    .max(16_384)
    .default(0)
    .describe('write this much memory after every frame sent, as a socket write would (evict.ts)'),
});

/**
 * A heartbeat's ours/raw may be at most this much higher in a party of 256 than in one of 8:
 * copying the party per beat (as the first version did) costs several times more; load on
 * the machine moves single runs by up to ~30 %.
 */
const FLAT_HEARTBEAT_MAX = 1.5;

async function rows(smoke: boolean, evictor: Evictor | null): Promise<CostRow[]> {
  const reps = smoke ? 1 : 7;
  const beats = smoke ? 2 : 40;
  if (smoke) {
    return [
      await heartbeatCost({ parties: 8, size: 8, beats, reps }, evictor),
      await leaveJoinCost({ parties: 4, size: 8, reps, rounds: 1 }, evictor),
    ];
  }
  return [
    await heartbeatCost({ parties: 128, size: 8, beats, reps }, evictor),
    await heartbeatCost({ parties: 16, size: 64, beats, reps }, evictor),
    await heartbeatCost({ parties: 4, size: 256, beats, reps }, evictor),
    await leaveJoinCost({ parties: 64, size: 8, reps, rounds: 5 }, evictor),
    await leaveJoinCost({ parties: 8, size: 64, reps, rounds: 2 }, evictor),
  ];
}

async function main(): Promise<void> {
  const args = parseFlags('bench:cost', ArgsSchema, ABOUT);
  const table = await rows(args.smoke, evictorOf(args['evict-kib']));
  const targets = costTargets(table);
  writeResults(args.out, {
    bench: 'cost',
    machine: machineInfo(),
    smoke: args.smoke,
    evict_kib: args['evict-kib'],
    rows: table,
    targets,
  });
  printTables(table, targets);
  console.log(`\nresults: ${args.out}`);
}

function costTargets(table: readonly CostRow[]) {
  const beats = table.filter((r) => r.scenario === 'heartbeat');
  const flat = beats.at(-1)!.ratio / beats[0]!.ratio;
  return [
    {
      target: 'heartbeat_cost_flat_in_party_size',
      wants: `ours/raw in the largest party <= ${FLAT_HEARTBEAT_MAX}x the smallest's`,
      value: Math.round(flat * 100) / 100,
      met: flat <= FLAT_HEARTBEAT_MAX,
    },
  ];
}

function printTables(table: readonly CostRow[], targets: ReturnType<typeof costTargets>): void {
  console.log(
    markdownTable(
      [
        'scenario',
        'R',
        'members',
        'ours µs CPU',
        'raw ws µs CPU',
        'ours/raw',
        'ours − raw µs',
        'frames each',
      ],
      table.map((r) => [
        r.scenario,
        r.party_size,
        r.members,
        r.ours_us,
        r.raw_us,
        r.ratio,
        r.extra_us,
        r.frames_per_message,
      ]),
    ),
  );
  console.log();
  console.log(
    markdownTable(
      ['target', 'wants', 'value', ''],
      targets.map((t) => [t.target, t.wants, t.value, t.met ? 'met' : 'MISSED']),
    ),
  );
}

runMain(main);
