/**
 * The app soak: a control server in this process (SQLite, short timings), a relay between it
 * and the app that can drop the app's connection, someone else's party to visit, and the app
 * in a process of its own (driver.ts) hosting a party through cycles of churn (cycle.ts).
 * After the warm-up and after each further segment the churn stops, every timeout runs out
 * (the vanished friends are gone from the app's list) and the app's retained heap and sizes
 * are read. The baseline is the warm-up checkpoint of the same run.
 */
import { join } from 'node:path';
import { machineInfo, type MachineInfo } from '../../lib/results';
import { Tally } from '../clients';
import { dataHeap } from '../heap';
import type { SoakTimings } from '../server-rig';
import { runAppCycle, appStep, partyName, type AppCycleContext } from './cycle';
import type { AppReading } from './driver';
import { APP_SOAK_TIMINGS, startAppRig, type AppSoakMode } from './rig';
import { appSoakTargets, type AppSoakTarget } from './targets';

/** A cycle takes at least this long: the app's requests stay under the server's rate limit. */
const CYCLE_MIN_MS = 300;

export interface AppSoakOptions {
  mode: AppSoakMode;
  warmup: number;
  segments: number;
  /** Where to write the app's heap snapshots at the first and last checkpoints (null: none). */
  snapshotsDir: string | null;
  log: (line: string) => void;
}

export interface AppCheckpoint extends AppReading {
  cycles: number;
  elapsed_s: number;
}

export interface AppSoakResults {
  bench: 'soak-app';
  machine: MachineInfo;
  timings: SoakTimings;
  options: Omit<AppSoakOptions, 'log'>;
  checkpoints: AppCheckpoint[];
  outcomes: Record<string, number>;
  failures: number;
  first_failure: string | null;
  ratio: number;
  bytes_per_cycle: number;
  old_space_bytes_per_cycle: number;
  /** The heap without compiled code (heap.ts' dataHeap): last over warm-up, and per cycle. */
  data_ratio: number;
  data_bytes_per_cycle: number;
  targets: Record<string, AppSoakTarget>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runAppSoak(options: AppSoakOptions): Promise<AppSoakResults> {
  const rig = await startAppRig(options.mode);
  const { app, relay, hub, locate } = rig;
  const tally = new Tally();
  try {
    await app.wait({ status: rig.readyStatus });
    const party = (await app.call('createParty', { name: partyName(0) })) as { party_id: string };
    const ctx: AppCycleContext = {
      url: await locate(party.party_id),
      locate,
      app,
      relay,
      hub,
      tally,
      status: rig.readyStatus,
      partyId: party.party_id,
      connects: 1,
      firstFailure: null,
    };
    const checkpoints = await runSegments(ctx, options, rig.settleMs);
    return results(options, checkpoints, ctx);
  } finally {
    await rig.stop();
  }
}

async function runSegments(
  ctx: AppCycleContext,
  options: AppSoakOptions,
  settleMs: number,
): Promise<AppCheckpoint[]> {
  const started = performance.now();
  const checkpoints: AppCheckpoint[] = [];
  for (let segment = 0; segment <= options.segments; segment++) {
    const to = options.warmup * (segment + 1);
    for (let c = to - options.warmup; c < to; c++) {
      const begun = performance.now();
      await runAppCycle(ctx, c);
      await sleep(CYCLE_MIN_MS - (performance.now() - begun));
    }
    await sleep(settleMs);
    // Every friend gone: the vanished ones timed out and were removed.
    const alone = { party: ctx.partyId, count: 1, status: ctx.status };
    await appStep(ctx, 'app_settled', () => ctx.app.wait(alone, 30_000));
    const edge = segment === 0 || segment === options.segments;
    const snapshot =
      edge && options.snapshotsDir
        ? join(options.snapshotsDir, `app-${to}.heapsnapshot`)
        : undefined;
    const reading = await ctx.app.checkpoint(snapshot);
    const elapsed_s = Math.round((performance.now() - started) / 100) / 10;
    checkpoints.push({ cycles: to, elapsed_s, ...reading });
    options.log(`${to} cycles: app heap ${mib(reading.heap.heap_used)} MiB after GC`);
  }
  return checkpoints;
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(2);

function results(
  options: AppSoakOptions,
  checkpoints: AppCheckpoint[],
  ctx: AppCycleContext,
): AppSoakResults {
  const first = checkpoints[0]!;
  const end = checkpoints.at(-1)!;
  const cycles = end.cycles - first.cycles;
  const perCycle = (a: number, b: number) => (cycles > 0 ? (b - a) / cycles : 0);
  const { log: _log, ...kept } = options;
  return {
    bench: 'soak-app',
    machine: machineInfo(),
    timings: APP_SOAK_TIMINGS,
    options: kept,
    checkpoints,
    outcomes: Object.fromEntries([...ctx.tally.counts].sort(([a], [b]) => a.localeCompare(b))),
    failures: ctx.tally.failures,
    first_failure: ctx.firstFailure,
    ratio: end.heap.heap_used / first.heap.heap_used,
    bytes_per_cycle: perCycle(first.heap.heap_used, end.heap.heap_used),
    old_space_bytes_per_cycle: perCycle(first.heap.old_space, end.heap.old_space),
    data_ratio: dataHeap(end.heap) / dataHeap(first.heap),
    data_bytes_per_cycle: perCycle(dataHeap(first.heap), dataHeap(end.heap)),
    targets: appSoakTargets(first, end, ctx.tally.failures),
  };
}
