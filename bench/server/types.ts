/** What the server bench measures per scale and writes to its results file. */
import type { DurabilityResult } from '../load/durability';
import type { ScaleResult } from '../load/scale-types';
import type { MachineInfo } from '../lib/results';
import type { RedisRun } from './redis';

export interface Scale {
  peers: number;
  partySize: number;
}

export type Ratios = Record<string, number | null>;
/** Each ratio's lowest and highest over repeated pairs (null: not measured). */
export type RatioRange = Record<string, [number, number] | null>;

export interface ScaleComparison {
  raw: ScaleResult;
  ours: ScaleResult;
  durability: DurabilityResult;
  ratios: Ratios;
  /** `--redis`: the same load on Redis (one instance, two instances), ratios to raw ws. */
  redis?: Array<RedisRun & { ratios: Ratios; ratio_range?: RatioRange }>;
  /**
   * `--repeat K` (K > 1): each pair as measured. `raw` and `ours` above are then their
   * field-wise medians, and `ratios` the medians of the pairs' ratios (see repeat.ts).
   */
  pairs?: ScaleComparison[];
  /** With `pairs`: the lowest and highest of each ratio over the pairs. */
  ratio_range?: RatioRange;
}

/** Where our server keeps its state: SQLite as deployed, or memory (a diagnostic). */
export type OursStore = 'sqlite' | 'memory';

export interface ServerBenchResults {
  bench: 'server';
  machine: MachineInfo;
  smoke: boolean;
  /** Raw/ours pairs measured per scale (`--repeat`). */
  repeat: number;
  /** `memory`: our server ran on an in-memory store (`--ours-store memory`), not durable. */
  ours_store: OursStore;
  scales: ScaleComparison[];
  targets: Record<string, { target: string; value: number | boolean | null; met: boolean }>;
}
