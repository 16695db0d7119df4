/**
 * Runs one scale (N peers in parties of R) against one server: forks the load workers,
 * drives them through every phase and gathers the figures, the server's RSS and the CPU of
 * every process per phase.
 */
import type { z } from 'zod';
import { CpuMeter, readRssBytes } from '../lib/proc';
import { round, sum, summarize } from '../lib/stats';
import {
  ChurnResultSchema,
  ConnectResultSchema,
  FormResultSchema,
  HeartbeatResultSchema,
  SettleResultSchema,
  type ChurnResult,
  type HeartbeatResult,
  type WorkerCommand,
} from './messages';
import { PRESENCE_SETTLE_MAX_MS } from './heartbeats';
import { planParties, splitParties } from './plan';
import type { Cpu, LeftOut, ScaleResult, ScaleSpec } from './scale-types';
import { WorkerHandle } from './worker-handle';

/** Which process limited a phase, from its CPU use (% of one core; the box has `cores`). */
export function bottleneck(cpu: Cpu, cores: number): string {
  const isServer = (name: string): boolean => name.startsWith('server');
  const server = Math.max(
    0,
    ...Object.entries(cpu)
      .filter(([k]) => isServer(k))
      .map(([, v]) => v),
  );
  const generator = Math.max(
    ...Object.entries(cpu)
      .filter(([k]) => !isServer(k))
      .map(([, v]) => v),
  );
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  if (server >= 85) return 'server';
  if (generator >= 85) return 'load generator';
  if (total >= cores * 85) return 'machine (all cores busy)';
  return 'none saturated';
}

const MB = 2 ** 20;
const WORKER_LIFETIME_MS = 600_000;

interface Phase<T> {
  values: T[];
  wall: number;
  cpu: Cpu;
}

/** The load workers of one scale, and one command sent to all of them as a measured phase. */
class WorkerPool {
  readonly workers: WorkerHandle[];
  private readonly pids: Map<string, number>;
  firstError: string | null = null;

  constructor(count: number, serverPids: readonly number[]) {
    this.workers = Array.from({ length: count }, (_, i) => new WorkerHandle(`load worker ${i}`));
    this.pids = new Map([
      ...serverPids.map((pid, i) => [i === 0 ? 'server' : `server${i + 1}`, pid] as const),
      ...this.workers.map((w, i) => [`gen${i}`, w.pid] as const),
    ]);
  }

  async phase<T extends { first_error: string | null }>(
    command: WorkerCommand,
    schema: z.ZodType<T>,
    timeoutMs: number,
  ): Promise<Phase<T>> {
    const meter = new CpuMeter(this.pids);
    const started = performance.now();
    const replies = await Promise.all(this.workers.map((w) => w.send(command, timeoutMs)));
    const values = replies.map((v) => schema.parse(v));
    for (const v of values) this.firstError ??= v.first_error;
    return { values, wall: performance.now() - started, cpu: meter.read() };
  }

  stop(): Promise<unknown> {
    return Promise.all(this.workers.map((w) => w.stop()));
  }
}

async function connectAndForm(pool: WorkerPool, spec: ScaleSpec, pid: number) {
  const idle = readRssBytes(pid) ?? 0;
  const conn = await pool.phase({ cmd: 'connect', concurrency: 256 }, ConnectResultSchema, 120_000);
  const connected = sum(conn.values.map((v) => v.connected));
  const interval =
    conn.values.find((v) => v.heartbeat_interval_s !== null)?.heartbeat_interval_s ?? 30;
  const form = await pool.phase({ cmd: 'form', concurrency: 64 }, FormResultSchema, 180_000);
  const joined = sum(form.values.map((v) => v.joined));
  return {
    idle,
    connected,
    interval,
    connect: {
      connected,
      failed: spec.peers - connected,
      elapsed_ms: round(conn.wall),
      per_s: round((connected / conn.wall) * 1000, 0),
      cpu: conn.cpu,
    },
    form: {
      joined,
      elapsed_ms: round(form.wall),
      joins_per_s: round((joined / form.wall) * 1000, 0),
      cpu: form.cpu,
    },
  };
}

/** Light churn (latency) then full churn (fan-out throughput). */
async function churnPhases(pool: WorkerPool, spec: ScaleSpec, cores: number) {
  const churn = (lanes: number, maxCycles: number, ms: number) =>
    pool.phase(
      { cmd: 'churn', lanes, max_cycles: maxCycles, duration_ms: ms },
      ChurnResultSchema,
      ms + 60_000,
    );
  const light = await churn(spec.latencyLanes, spec.latencyCycles, spec.latencyMs);
  const heavy = await churn(1_000_000, 10_000_000, spec.churnMs);
  const perSecond = (n: number) => round((n / heavy.wall) * 1000, 0);
  return {
    latency: { ...churnFigures(light.values), cpu: light.cpu },
    throughput: {
      ...churnFigures(heavy.values),
      deliveries_per_s: perSecond(sum(heavy.values.map((v) => v.deliveries))),
      cycles_per_s: perSecond(sum(heavy.values.map((v) => v.cycles))),
      cpu: heavy.cpu,
      bottleneck: bottleneck(heavy.cpu, cores),
    },
    left_out: leftOut(heavy.values),
  };
}

/** Who is out of their party after the churn, as the workers were told (LeftOut). */
function leftOut(values: readonly ChurnResult[]): LeftOut {
  const parties = values.flatMap((v) => v.absent);
  return {
    members: sum(parties.map(([, out]) => out)),
    uncertain: sum(parties.map(([, , uncertain]) => uncertain)),
    parties,
  };
}

/**
 * Every peer beating back-to-back. The settle before it is a phase of its own, so the
 * burst's rate counts the burst's time only (every worker's burst starting together): inside
 * it, our server's wait for the members' round-trip pushes to end (3.3 s against raw ws's
 * 1.0 s at N = 1 000, R = 256) had cut that rate by up to half.
 */
async function burstPhase(pool: WorkerPool, spec: ScaleSpec, cores: number) {
  const settle = await pool.phase(
    { cmd: 'heartbeat_settle' },
    SettleResultSchema,
    PRESENCE_SETTLE_MAX_MS + 60_000,
  );
  const burst = await pool.phase(
    { cmd: 'heartbeat_burst', duration_ms: spec.burstMs },
    HeartbeatResultSchema,
    spec.burstMs + 60_000,
  );
  return {
    ...heartbeatFigures(burst.values, burst.wall),
    settle_ms: round(settle.wall),
    settle_pushes: sum(settle.values.map((v) => v.presence_pushes)),
    cpu: burst.cpu,
    bottleneck: bottleneck(burst.cpu, cores),
  };
}

/** A heartbeat burst, then every peer beating at the server's announced interval. */
async function heartbeatPhases(
  pool: WorkerPool,
  spec: ScaleSpec,
  cores: number,
  interval: number,
  connected: number,
) {
  const heartbeatBurst = await burstPhase(pool, spec, cores);
  const hold = await pool.phase(
    { cmd: 'heartbeat_hold', interval_ms: Math.round(interval * 1000), duration_ms: spec.holdMs },
    HeartbeatResultSchema,
    spec.holdMs + 60_000,
  );
  return {
    heartbeat_burst: heartbeatBurst,
    heartbeat_hold: {
      ...heartbeatFigures(hold.values, hold.wall),
      interval_s: interval,
      duration_s: round(spec.holdMs / 1000, 1),
      expected_per_s: round(connected / interval, 1),
      sent: sum(hold.values.map((v) => v.sent)),
      acked: sum(hold.values.map((v) => v.acked)),
      open_sockets: sum(hold.values.map((v) => v.open_sockets)),
      cpu: hold.cpu,
    },
  };
}

/** Hands every worker the server URL and its share of the planned parties. */
function initWorkers(
  pool: WorkerPool,
  urls: readonly string[],
  shares: ReturnType<typeof splitParties>,
): Promise<unknown> {
  const url = urls[0]!;
  const several = urls.length > 1 ? { urls: [...urls] } : {};
  return Promise.all(
    pool.workers.map((w, i) =>
      w.send(
        {
          cmd: 'init',
          url,
          ...several,
          worker: i,
          parties: shares[i]!,
          lifetime_ms: WORKER_LIFETIME_MS,
        },
        30_000,
      ),
    ),
  );
}

/** Server memory before any client and with every client held, per connected peer. */
function rssFigures(idle: number, held: number, connected: number): ScaleResult['rss'] {
  return {
    idle_mb: round(idle / MB, 1),
    held_mb: round(held / MB, 1),
    per_peer_kb: round((held - idle) / Math.max(1, connected) / 1024, 2),
  };
}

/**
 * `others`: more servers sharing the first one's state (Redis); each party's members are
 * spread over all of them. Memory figures are the first server's.
 */
export async function runScale(
  target: { url: string; pid: number },
  spec: ScaleSpec,
  tag: string,
  cores: number,
  others: ReadonlyArray<{ url: string; pid: number }> = [],
): Promise<ScaleResult> {
  const shares = splitParties(planParties(spec.peers, spec.partySize, tag), spec.workers);
  const servers = [target, ...others];
  const pool = new WorkerPool(
    spec.workers,
    servers.map((s) => s.pid),
  );
  try {
    await initWorkers(
      pool,
      servers.map((s) => s.url),
      shares,
    );
    return await runPhases(pool, spec, target.pid, cores);
  } finally {
    await pool.stop();
  }
}

/** Connect and form parties, churn, heartbeats, in that order; memory is read after forming. */
async function runPhases(
  pool: WorkerPool,
  spec: ScaleSpec,
  pid: number,
  cores: number,
): Promise<ScaleResult> {
  const { idle, connected, interval, connect, form } = await connectAndForm(pool, spec, pid);
  const churn = await churnPhases(pool, spec, cores);
  const beats = await heartbeatPhases(pool, spec, cores, interval, connected);
  const rss = rssFigures(idle, readRssBytes(pid) ?? 0, connected);
  return {
    peers: spec.peers,
    party_size: spec.partySize,
    connect,
    form,
    rss,
    ...churn,
    ...beats,
    first_error: pool.firstError,
  };
}

function churnFigures(values: readonly ChurnResult[]) {
  return {
    join_fanout_ms: summarize(values.flatMap((v) => v.join_latencies_ms)),
    cycles: sum(values.map((v) => v.cycles)),
    failed: sum(values.map((v) => v.failed)),
  };
}

function heartbeatFigures(values: readonly HeartbeatResult[], wall: number) {
  return {
    acks_per_s: round((sum(values.map((v) => v.acked)) / wall) * 1000, 0),
    presence_pushes: sum(values.map((v) => v.presence_pushes)),
    rtt_ms: summarize(values.flatMap((v) => v.rtt_ms)),
    failed: sum(values.map((v) => v.failed)),
  };
}
