/**
 * The soak: the server in this process, the hub's parties, then cycles of churn in lanes.
 * After the warm-up and after each further segment, traffic stops, every timeout and sweep
 * runs (settleMs), and the retained heap is read. The baseline is the warm-up checkpoint of
 * the same run; the verdict is the growth from it per cycle and the ratio of the last
 * checkpoint to it.
 */
import v8 from 'node:v8';
import { join } from 'node:path';
import { machineInfo, type JudgedTarget, type MachineInfo } from '../lib/results';
import { startHub, Tally } from './clients';
import { runCycle, type CycleContext } from './cycle';
import { BY_DESIGN_SIZES, entryCosts, type EntryCosts } from './by-design';
import { retainedHeap, SECOND, structureSizes, type HeapReading } from './heap';
import {
  SOAK_TIMINGS,
  startSoakServer,
  type SoakServer,
  type SoakStore,
  type SoakTimings,
} from './server-rig';
import { soakTargets } from './targets';

export interface SoakOptions {
  warmup: number;
  /** Further segments of `warmup` cycles each (5: the 5K after the warm-up K). */
  segments: number;
  lanes: number;
  store: SoakStore;
  /** Where to write a heap snapshot at the first and last checkpoints (null: none). */
  snapshotsDir: string | null;
  log: (line: string) => void;
}

export interface Checkpoint {
  cycles: number;
  elapsed_s: number;
  heap: HeapReading;
  sizes: Record<string, number | null>;
}

export interface SoakResults {
  bench: 'soak';
  machine: MachineInfo;
  server_flags: readonly string[];
  timings: SoakTimings;
  options: Omit<SoakOptions, 'log'>;
  checkpoints: Checkpoint[];
  /** Answers by step and outcome over the whole run. */
  outcomes: Record<string, number>;
  failures: number;
  /** Last checkpoint's heap over the warm-up's. */
  ratio: number;
  /** (last − warm-up) / cycles between them. */
  bytes_per_cycle: number;
  /** The same for the old space alone (long-lived data; no JIT code, no big tables). */
  old_space_bytes_per_cycle: number;
  /** Bytes per entry of the structures that grow by design (by-design.ts). */
  entry_costs: EntryCosts;
  /** Their growth per cycle times those costs. */
  by_design_bytes_per_cycle: number;
  /** bytes_per_cycle less that: growth nothing in the server's design explains. */
  residual_bytes_per_cycle: number;
  targets: Record<string, JudgedTarget>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Cycles [from, to) in `lanes` parallel lanes. */
async function runCycles(ctx: CycleContext, from: number, to: number, lanes: number) {
  let next = from;
  const lane = async (): Promise<void> => {
    while (next < to) await runCycle(ctx, next++);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

export async function runSoak(options: SoakOptions): Promise<SoakResults> {
  const rig = await startSoakServer(options.store);
  // On Redis the hub's hosts are on the second server: each join, kick and answer crosses.
  const hubUrl = (rig.second ?? rig.server).url;
  const hub = await startHub(hubUrl, SOAK_TIMINGS.heartbeatS * 1000);
  const ctx: CycleContext = { url: rig.server.url, port: rig.server.port, hub, tally: new Tally() };
  const started = performance.now();
  const checkpoints: Checkpoint[] = [];
  const last = options.segments;
  try {
    for (let segment = 0; segment <= last; segment++) {
      const to = options.warmup * (segment + 1);
      await runCycles(ctx, to - options.warmup, to, options.lanes);
      await sleep(rig.settleMs);
      const snapshot = segment === 0 || segment === last ? snapshotPath(options, to) : null;
      const point = await checkpoint(rig, to, started, snapshot);
      options.log(`${to} cycles: heap ${mib(point.heap.heap_used)} MiB after GC`);
      checkpoints.push(point);
    }
  } finally {
    hub.stop();
    await rig.stop();
  }
  // Measured after the server stopped, so that it changes none of the checkpoints.
  return results(options, rig.flags, checkpoints, ctx.tally, await entryCosts());
}

/** The by-design structures' growth per cycle, in bytes (both servers', on Redis). */
function byDesignPerCycle(first: Checkpoint, end: Checkpoint, costs: EntryCosts): number {
  const cycles = end.cycles - first.cycles;
  let bytes = 0;
  for (const [entry, size] of Object.entries(BY_DESIGN_SIZES)) {
    for (const name of [size, `${SECOND}${size}`]) {
      const grown = (end.sizes[name] ?? 0) - (first.sizes[name] ?? 0);
      bytes += grown * costs[entry as keyof EntryCosts];
    }
  }
  return cycles > 0 ? bytes / cycles : 0;
}

function snapshotPath(options: SoakOptions, cycles: number): string | null {
  return options.snapshotsDir === null
    ? null
    : join(options.snapshotsDir, `soak-${cycles}.heapsnapshot`);
}

async function checkpoint(
  rig: SoakServer,
  cycles: number,
  started: number,
  snapshot: string | null,
): Promise<Checkpoint> {
  const heap = await retainedHeap();
  if (snapshot !== null) v8.writeHeapSnapshot(snapshot);
  const elapsed_s = Math.round((performance.now() - started) / 100) / 10;
  const second = rig.second ? structureSizes(rig.second.context, SECOND) : {};
  const sizes = { ...structureSizes(rig.server.context), ...second, ...(await rig.outsideSizes()) };
  return { cycles, elapsed_s, heap, sizes };
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(2);

function results(
  options: SoakOptions,
  flags: readonly string[],
  checkpoints: Checkpoint[],
  tally: Tally,
  costs: EntryCosts,
): SoakResults {
  const first = checkpoints[0]!;
  const end = checkpoints.at(-1)!;
  const cycles = end.cycles - first.cycles;
  const { log: _log, ...kept } = options;
  const bytesPerCycle = cycles > 0 ? (end.heap.heap_used - first.heap.heap_used) / cycles : 0;
  const byDesign = byDesignPerCycle(first, end, costs);
  return {
    bench: 'soak',
    machine: machineInfo(),
    server_flags: flags,
    timings: SOAK_TIMINGS,
    options: kept,
    checkpoints,
    outcomes: Object.fromEntries([...tally.counts].sort(([a], [b]) => a.localeCompare(b))),
    failures: tally.failures,
    ratio: end.heap.heap_used / first.heap.heap_used,
    bytes_per_cycle: bytesPerCycle,
    old_space_bytes_per_cycle:
      cycles > 0 ? (end.heap.old_space - first.heap.old_space) / cycles : 0,
    entry_costs: costs,
    by_design_bytes_per_cycle: byDesign,
    residual_bytes_per_cycle: bytesPerCycle - byDesign,
    targets: soakTargets(first, end, tally.failures),
  };
}
