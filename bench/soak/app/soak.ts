/**
 * The app soak: the app in a process of its own (driver.ts) hosting a party through cycles
 * of churn (cycle.ts), on a control server in this process or on its own (rig.ts).
 * After the warm-up and after each further segment the churn stops, every timeout runs out
 * (the vanished friends are gone from the app's list) and the app's retained heap and sizes
 * are read. The baseline is the warm-up checkpoint of the same run.
 */
import { join } from 'node:path';
import { machineInfo, type JudgedTarget, type MachineInfo } from '../../lib/results';
import { Tally } from '../clients';
import { dataHeap } from '../heap';
import type { SoakTimings } from '../server-rig';
import { runAppCycle, appStep, partyName, type AppCycleContext } from './cycle';
import { APP_BY_DESIGN_SIZES, type AppEntryCosts } from './by-design';
import type { AppReading } from './driver';
import { APP_SOAK_TIMINGS, startAppRig, type AppSoakMode } from './rig';
import { appSoakTargets } from './targets';

/** A cycle takes at least this long: the app's requests stay under the server's rate limit. */
const CYCLE_MIN_MS = 300;

export interface AppSoakOptions {
  mode: AppSoakMode;
  /** false: no kicks (so no removal notices), to tell their growth from the rest. */
  kicks: boolean;
  warmup: number;
  segments: number;
  /** Where to write the app's heap snapshots at the first and last checkpoints (null: none). */
  snapshotsDir: string | null;
  /** Flags for the app's Node (`--app-node-arg`), e.g. `--max-opt=1`: no optimising tiers. */
  appNodeArgs?: readonly string[];
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
  /** Bytes per entry of the rows that grow by design (local mode; by-design.ts). */
  entry_costs: AppEntryCosts;
  /** Their growth per cycle times those costs. */
  by_design_bytes_per_cycle: number;
  /** data_bytes_per_cycle less that: growth nothing in the app's design explains. */
  residual_bytes_per_cycle: number;
  targets: Record<string, JudgedTarget>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runAppSoak(options: AppSoakOptions): Promise<AppSoakResults> {
  const rig = await startAppRig(options.mode, options.appNodeArgs);
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
      kicks: options.kicks,
      firstFailure: null,
    };
    const checkpoints = await runSegments(ctx, options, rig.settleMs);
    // Measured after the last checkpoint, so that it changes none of them.
    return results(options, checkpoints, ctx, await app.costs());
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

/** What the rows kept by design grew by between the two checkpoints, in bytes. */
function byDesignBytes(first: AppCheckpoint, end: AppCheckpoint, costs: AppEntryCosts): number {
  let bytes = 0;
  for (const [entry, size] of Object.entries(APP_BY_DESIGN_SIZES)) {
    const grown = (end.sizes[size] ?? 0) - (first.sizes[size] ?? 0);
    bytes += grown * costs[entry as keyof AppEntryCosts];
  }
  return bytes;
}

function results(
  options: AppSoakOptions,
  checkpoints: AppCheckpoint[],
  ctx: AppCycleContext,
  costs: AppEntryCosts,
): AppSoakResults {
  const first = checkpoints[0]!;
  const end = checkpoints.at(-1)!;
  const cycles = end.cycles - first.cycles;
  const perCycle = (a: number, b: number) => (cycles > 0 ? (b - a) / cycles : 0);
  const byDesign = byDesignBytes(first, end, costs);
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
    entry_costs: costs,
    by_design_bytes_per_cycle: cycles > 0 ? byDesign / cycles : 0,
    residual_bytes_per_cycle: perCycle(dataHeap(first.heap), dataHeap(end.heap) - byDesign),
    targets: appSoakTargets(first, end, byDesign, ctx.tally.failures),
  };
}
