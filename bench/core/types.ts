/** Options and result shape of the core bench (bench/core/bench.ts). */
import type { MachineInfo } from '../lib/results';

export interface CoreBenchOptions {
  parties: number;
  peersPerParty: number;
  sweepRuns: number;
}
export const FULL_CORE: CoreBenchOptions = { parties: 1_000, peersPerParty: 10, sweepRuns: 20 };
export const SMOKE_CORE: CoreBenchOptions = { parties: 20, peersPerParty: 5, sweepRuns: 3 };

export interface OpFigure {
  ops: number;
  ops_per_s: number;
  baseline_ops_per_s: number;
  ratio: number | null;
  disk_writes: number;
}
export interface CoreBenchResults {
  bench: 'core';
  machine: MachineInfo;
  smoke: boolean;
  scale: { parties: number; peers: number };
  ops: Record<'join' | 'heartbeat' | 'update' | 'leave', OpFigure>;
  burst: { changes: number; writes: number; target_writes: number };
  sustained: { changes: number; duration_ms: number; batches: number; writes: number };
  save: { ms: number; baseline_ms: number; ratio: number | null; bytes: number };
  sweep: {
    peers: number;
    parties: number;
    median_ms: number;
    max_ms: number;
    stale_sweep_ms: number;
    baseline_ms: number;
    ratio: number | null;
  };
  load: {
    parties: number;
    initialize_ms: number;
    parse_ms: number;
    baseline_ms: number;
    ratio: number | null;
  };
  targets: Record<string, { target: string; value: number; met: boolean }>;
}
