/**
 * Runs one scale (N peers in parties of R) against one server: forks the load workers,
 * drives them through every phase and gathers the figures, the server's RSS and the CPU of
 * every process per phase.
 */
import { CpuMeter, readRssBytes } from '../lib/proc';
import { round, summarize, type LatencySummary } from '../lib/stats';
import {
  ChurnResultSchema,
  ConnectResultSchema,
  FormResultSchema,
  HeartbeatResultSchema,
  type ChurnResult,
  type HeartbeatResult,
  type WorkerCommand,
} from './messages';
import { planParties, splitParties } from './plan';
import { WorkerHandle } from './worker-handle';
import type { z } from 'zod';

export interface ScaleSpec {
  peers: number;
  partySize: number;
  workers: number;
  /** Light-load latency phase: concurrent cycles per worker, cycles cap, time cap. */
  latencyLanes: number;
  latencyCycles: number;
  latencyMs: number;
  /** Full-load churn (fan-out throughput) and heartbeat burst durations. */
  churnMs: number;
  burstMs: number;
  /** Heartbeats at the server's announced interval, for this long. */
  holdMs: number;
}

export type Cpu = Record<string, number>;
export interface ScaleResult {
  peers: number;
  party_size: number;
  connect: { connected: number; failed: number; elapsed_ms: number; per_s: number; cpu: Cpu };
  form: { joined: number; elapsed_ms: number; joins_per_s: number; cpu: Cpu };
  rss: { idle_mb: number; held_mb: number; per_peer_kb: number };
  latency: { join_fanout_ms: LatencySummary; cycles: number; failed: number; cpu: Cpu };
  throughput: {
    deliveries_per_s: number;
    cycles_per_s: number;
    join_fanout_ms: LatencySummary;
    failed: number;
    cpu: Cpu;
    bottleneck: string;
  };
  heartbeat_burst: {
    acks_per_s: number;
    rtt_ms: LatencySummary;
    failed: number;
    cpu: Cpu;
    bottleneck: string;
  };
  heartbeat_hold: {
    interval_s: number;
    duration_s: number;
    acks_per_s: number;
    expected_per_s: number;
    sent: number;
    acked: number;
    failed: number;
    open_sockets: number;
    rtt_ms: LatencySummary;
    cpu: Cpu;
  };
  first_error: string | null;
}

/** Which process limited a phase, from its CPU use (% of one core; the box has `cores`). */
export function bottleneck(cpu: Cpu, cores: number): string {
  const server = cpu.server ?? 0;
  const generator = Math.max(
    ...Object.entries(cpu)
      .filter(([k]) => k !== 'server')
      .map(([, v]) => v),
  );
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  if (server >= 85) return 'server';
  if (generator >= 85) return 'load generator';
  if (total >= cores * 85) return 'machine (all cores busy)';
  return 'none saturated';
}

const MB = 2 ** 20;

export async function runScale(
  target: { url: string; pid: number },
  spec: ScaleSpec,
  tag: string,
  cores: number,
): Promise<ScaleResult> {
  const shares = splitParties(planParties(spec.peers, spec.partySize, tag), spec.workers);
  const workers = shares.map((_, i) => new WorkerHandle(`load worker ${i}`));
  const pids = new Map<string, number>([
    ['server', target.pid],
    ...workers.map((w, i) => [`gen${i}`, w.pid] as const),
  ]);
  let firstError: string | null = null;
  const note = (error: string | null): void => {
    firstError ??= error;
  };
  const all = async <T>(
    commands: (i: number) => WorkerCommand,
    schema: z.ZodType<T>,
    timeoutMs: number,
  ) => {
    const meter = new CpuMeter(pids);
    const started = performance.now();
    const values = await Promise.all(workers.map((w, i) => w.send(commands(i), timeoutMs)));
    return {
      values: values.map((v) => schema.parse(v)),
      wall: performance.now() - started,
      cpu: meter.read(),
    };
  };
  try {
    const lifetime = 600_000;
    await Promise.all(
      workers.map((w, i) =>
        w.send(
          { cmd: 'init', url: target.url, worker: i, parties: shares[i]!, lifetime_ms: lifetime },
          30_000,
        ),
      ),
    );
    const idle = readRssBytes(target.pid) ?? 0;
    const conn = await all(
      () => ({ cmd: 'connect', concurrency: 256 }),
      ConnectResultSchema,
      120_000,
    );
    conn.values.forEach((v) => note(v.first_error));
    const connected = sum(conn.values.map((v) => v.connected));
    const interval =
      conn.values.find((v) => v.heartbeat_interval_s !== null)?.heartbeat_interval_s ?? 30;
    const form = await all(() => ({ cmd: 'form', concurrency: 64 }), FormResultSchema, 180_000);
    form.values.forEach((v) => note(v.first_error));
    const joined = sum(form.values.map((v) => v.joined));
    const churnCmd = (lanes: number, cycles: number, ms: number) => () =>
      ({ cmd: 'churn', lanes, max_cycles: cycles, duration_ms: ms }) as const;
    const light = await all(
      churnCmd(spec.latencyLanes, spec.latencyCycles, spec.latencyMs),
      ChurnResultSchema,
      spec.latencyMs + 60_000,
    );
    const heavy = await all(
      churnCmd(1_000_000, 10_000_000, spec.churnMs),
      ChurnResultSchema,
      spec.churnMs + 60_000,
    );
    [...light.values, ...heavy.values].forEach((v) => note(v.first_error));
    const burst = await all(
      () => ({ cmd: 'heartbeat_burst', duration_ms: spec.burstMs }),
      HeartbeatResultSchema,
      spec.burstMs + 60_000,
    );
    const holdCmd = () =>
      ({
        cmd: 'heartbeat_hold',
        interval_ms: Math.round(interval * 1000),
        duration_ms: spec.holdMs,
      }) as const;
    const hold = await all(holdCmd, HeartbeatResultSchema, spec.holdMs + 60_000);
    [...burst.values, ...hold.values].forEach((v) => note(v.first_error));
    const held = readRssBytes(target.pid) ?? 0;
    return {
      peers: spec.peers,
      party_size: spec.partySize,
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
      rss: {
        idle_mb: round(idle / MB, 1),
        held_mb: round(held / MB, 1),
        per_peer_kb: round((held - idle) / Math.max(1, connected) / 1024, 2),
      },
      latency: { ...churnFigures(light.values), cpu: light.cpu },
      throughput: {
        ...churnFigures(heavy.values),
        deliveries_per_s: round(
          (sum(heavy.values.map((v) => v.deliveries)) / heavy.wall) * 1000,
          0,
        ),
        cycles_per_s: round((sum(heavy.values.map((v) => v.cycles)) / heavy.wall) * 1000, 0),
        cpu: heavy.cpu,
        bottleneck: bottleneck(heavy.cpu, cores),
      },
      heartbeat_burst: {
        ...heartbeatFigures(burst.values, burst.wall),
        cpu: burst.cpu,
        bottleneck: bottleneck(burst.cpu, cores),
      },
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
      first_error: firstError,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
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
    rtt_ms: summarize(values.flatMap((v) => v.rtt_ms)),
    failed: sum(values.map((v) => v.failed)),
  };
}
