/**
 * The server bench: the same load against the raw-ws baseline and the real control server,
 * scale by scale, in one run. Each scale gets fresh server processes (and a fresh data dir).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { runScale } from '../load/coordinator';
import type { ScaleResult, ScaleSpec } from '../load/scale-types';
import { verifyDurability } from '../load/durability';
import { startNodeScript, type StartedProcess } from '../lib/proc';
import { loadServerFlags } from '../lib/server-flags';
import { SERVER_NODE_FLAGS } from '../../server/node-flags';
import { machineInfo } from '../lib/results';
import { ratio } from '../lib/stats';
import { measureOnRedis } from './redis';
import { combinePairs } from './repeat';
import { evaluateTargets } from './targets';
import type { OursStore, Scale, ScaleComparison, ServerBenchResults } from './types';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const URL_LINE = /ws:\/\/127\.0\.0\.1:\d+\/ws/;

export const FULL_SCALES: readonly Scale[] = [
  { peers: 1_000, partySize: 8 },
  { peers: 5_000, partySize: 8 },
  { peers: 10_000, partySize: 8 },
  { peers: 19_000, partySize: 8 },
  { peers: 5_000, partySize: 2 },
  { peers: 5_000, partySize: 64 },
  { peers: 5_000, partySize: 256 },
];
export const SMOKE_SCALES: readonly Scale[] = [{ peers: 100, partySize: 8 }];

/** `--scale N/R`: N peers in parties of R. */
export const ScaleArgSchema = z
  .string()
  .regex(/^\d+\/\d+$/, 'a scale is N/R, e.g. 5000/8')
  .transform((s): Scale => {
    const [peers, partySize] = s.split('/').map(Number) as [number, number];
    return { peers, partySize };
  })
  .refine((s) => s.peers >= 2 && s.peers <= 20_000, 'N must be 2..20000')
  .refine((s) => s.partySize >= 2 && s.partySize <= 256, 'R must be 2..256');

export interface BenchOptions {
  scales: readonly Scale[];
  smoke: boolean;
  /** Heartbeat hold at the spec's rate; null = one full interval at 10 000 peers, else 10 s. */
  holdSeconds: number | null;
  /**
   * Extra node flags for both server processes, ours and the raw-ws baseline (e.g.
   * --cpu-prof), so their profiles compare like with like.
   */
  serverNodeArgs?: readonly string[];
  /** Extra flags for our server's measured run (e.g. `--commits-on-loop off`, to compare). */
  serverArgs?: readonly string[];
  /** `memory`: our server on an in-memory store (memory-server.ts), to split the commit's cost. */
  oursStore?: OursStore;
  /** Also our server on Redis: one instance and two sharing it. */
  redis?: boolean;
  /** Raw/ours pairs per scale (default 1); ratios are then the pairs' medians. */
  repeat?: number;
  /** Each measured server's output is appended to a file here (e.g. for `--trace-gc`). */
  serverOutputDir?: string;
  log(line: string): void;
}

function spec(scale: Scale, options: BenchOptions): ScaleSpec {
  const quick = options.smoke;
  const hold = options.holdSeconds ?? (scale.peers >= 10_000 ? 31 : 10);
  return {
    peers: scale.peers,
    partySize: scale.partySize,
    workers: 2,
    latencyLanes: 2,
    latencyCycles: quick ? 40 : 400,
    latencyMs: quick ? 1_000 : 4_000,
    churnMs: quick ? 1_000 : 5_000,
    burstMs: quick ? 1_000 : 4_000,
    holdMs: Math.round((quick ? 1 : hold) * 1000),
  };
}

/**
 * Both servers run with the Node flags our server is deployed with (server/node-flags.ts),
 * so the comparison stays like for like; `--server-node-arg` adds to them.
 */
const DEPLOYED = SERVER_NODE_FLAGS;

/** The node flags of a measured server: the deployed ones and `--server-node-arg`. */
const measuredNodeArgs = (options: BenchOptions): string[] => [
  ...DEPLOYED,
  ...(options.serverNodeArgs ?? []),
];

/** The file `--server-output-dir` gives the server started as `name`, if it was given. */
const outputOf = (options: BenchOptions, name: string): string | undefined =>
  options.serverOutputDir === undefined ? undefined : join(options.serverOutputDir, `${name}.log`);

/** How a scale names its runs and parties (`5000x8`). */
const tagOf = (scale: Scale): string => `${scale.peers}x${scale.partySize}`;

function startRaw(nodeArgs: readonly string[], outputFile?: string): Promise<StartedProcess> {
  return startNodeScript(join(ROOT, 'bench/raw-fanout/cli.ts'), ['--port', '0'], URL_LINE, {
    cwd: ROOT,
    nodeArgs,
    outputFile,
  });
}

const OURS_ENTRY: Record<OursStore, string> = {
  sqlite: 'server/cli.ts',
  memory: 'bench/server/memory-server.ts',
};

export function startOurs(
  dataDir: string,
  extra: readonly string[] = [],
  nodeArgs: readonly string[] = DEPLOYED,
  store: OursStore = 'sqlite',
  outputFile?: string,
): Promise<StartedProcess> {
  const args = [
    ...['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir],
    ...loadServerFlags(extra),
  ];
  return startNodeScript(join(ROOT, OURS_ENTRY[store]), args, URL_LINE, {
    cwd: ROOT,
    nodeArgs,
    outputFile,
  });
}

async function measure(
  start: () => Promise<StartedProcess>,
  s: ScaleSpec,
  tag: string,
  cores: number,
) {
  const server = await start();
  try {
    return { result: await runScale(server, s, tag, cores), server };
  } catch (error) {
    await server.stop();
    throw new Error(`${String(error)}\nserver stderr:\n${server.stderr().slice(-2000)}`, {
      cause: error,
    });
  }
}

export function compare(raw: ScaleResult, ours: ScaleResult): Record<string, number | null> {
  return {
    connect_rate: ratio(ours.connect.per_s, raw.connect.per_s),
    fanout_throughput: ratio(ours.throughput.deliveries_per_s, raw.throughput.deliveries_per_s),
    join_fanout_p50: ratio(ours.latency.join_fanout_ms.p50, raw.latency.join_fanout_ms.p50),
    join_fanout_p99: ratio(ours.latency.join_fanout_ms.p99, raw.latency.join_fanout_ms.p99),
    heartbeat_throughput: ratio(ours.heartbeat_burst.acks_per_s, raw.heartbeat_burst.acks_per_s),
    rss_per_peer: ratio(ours.rss.per_peer_kb, raw.rss.per_peer_kb),
  };
}

/** Our server's run at one scale, then kill -9 and a restart that must have every member. */
async function measureOurs(
  scale: Scale,
  s: ScaleSpec,
  options: BenchOptions,
  cores: number,
  dataDir: string,
) {
  const tag = tagOf(scale);
  options.log(`N=${scale.peers} R=${scale.partySize}: LANrage server…`);
  const store = options.oursStore ?? 'sqlite';
  const start = () =>
    startOurs(
      dataDir,
      options.serverArgs ?? [],
      measuredNodeArgs(options),
      store,
      outputOf(options, `ours${tag}`),
    );
  const ours = await measure(start, s, `ours${tag}`, cores);
  // A profiled server must exit cleanly to write its profile; the durability check then
  // restarts it as usual (SIGTERM flushes nothing that was not already acknowledged).
  if ((options.serverNodeArgs ?? []).length > 0) await ours.server.stop();
  // Acknowledged means committed: kill -9 and check every acknowledged member is still there.
  else ours.server.child.kill('SIGKILL');
  await ours.server.stop();
  const durability = await verifyDurability(
    // The check asks about every party from one socket: not the client the rate limit is for.
    () => startOurs(dataDir, ['--rate-limit', '0'], DEPLOYED, store),
    scale.peers,
    scale.partySize,
    `ours${tag}`,
    ours.result.left_out,
  );
  return { result: ours.result, durability };
}

async function measureRaw(scale: Scale, s: ScaleSpec, options: BenchOptions, cores: number) {
  options.log(`N=${scale.peers} R=${scale.partySize}: raw ws baseline…`);
  const start = () => startRaw(measuredNodeArgs(options), outputOf(options, `raw${tagOf(scale)}`));
  const raw = await measure(start, s, `raw${tagOf(scale)}`, cores);
  await raw.server.stop();
  return raw.result;
}

/**
 * One raw/ours pair at one scale, in one sitting; `oursFirst` swaps the order (--repeat
 * alternates it, so a machine drifting over a run does not always favour the same side).
 */
async function runPair(
  scale: Scale,
  options: BenchOptions,
  cores: number,
  oursFirst: boolean,
): Promise<ScaleComparison> {
  const s = spec(scale, options);
  const dataDir = mkdtempSync(join(tmpdir(), 'lanrage-bench-'));
  try {
    let raw = oursFirst ? null : await measureRaw(scale, s, options, cores);
    const ours = await measureOurs(scale, s, options, cores, dataDir);
    raw ??= await measureRaw(scale, s, options, cores);
    const comparison: ScaleComparison = {
      raw,
      ours: ours.result,
      durability: ours.durability,
      ratios: compare(raw, ours.result),
    };
    if (options.redis) comparison.redis = await redisRuns(s, tagOf(scale), cores, raw, options);
    return comparison;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `options.repeat` pairs of one scale, combined (repeat.ts). */
async function runScaleRepeated(scale: Scale, options: BenchOptions, cores: number) {
  const pairs: ScaleComparison[] = [];
  for (let i = 0; i < (options.repeat ?? 1); i++) {
    pairs.push(await runPair(scale, options, cores, i % 2 === 1));
  }
  return combinePairs(pairs);
}

async function redisRuns(
  s: ScaleSpec,
  tag: string,
  cores: number,
  raw: ScaleResult,
  options: BenchOptions,
): Promise<NonNullable<ScaleComparison['redis']>> {
  const runs = [];
  for (const instances of [1, 2]) {
    options.log(`${tag}: LANrage on Redis, ${instances} instance(s)…`);
    let started = 0;
    const output = () => outputOf(options, `ours-redis${instances}-${tag}-${++started}`);
    const run = await measureOnRedis(
      (dir, extra) => startOurs(dir, extra, measuredNodeArgs(options), 'sqlite', output()),
      s,
      tag,
      cores,
      instances,
    );
    runs.push({ ...run, ratios: compare(raw, run.result) });
  }
  return runs;
}

export async function runServerBench(options: BenchOptions): Promise<ServerBenchResults> {
  const machine = machineInfo();
  const scales: ScaleComparison[] = [];
  for (const scale of options.scales) {
    scales.push(await runScaleRepeated(scale, options, machine.cores));
  }
  return {
    bench: 'server',
    machine,
    smoke: options.smoke,
    repeat: options.repeat ?? 1,
    ours_store: options.oursStore ?? 'sqlite',
    scales,
    targets: evaluateTargets(scales),
  };
}
