/** The server bench's targets (issues 9 and 12), judged on one run's scales. */
import { sum } from '../lib/stats';
import type { ScaleComparison, ServerBenchResults } from './types';

type Targets = ServerBenchResults['targets'];

/** The party size the join latency targets are set for. */
const LATENCY_PARTY_SIZE = 8;

/** The largest scale held every peer with every heartbeat at the spec's rate acknowledged. */
function heldAll(scales: readonly ScaleComparison[]): { peers: number; held: boolean } {
  const top = scales.reduce<ScaleComparison | undefined>(
    (a, b) => (a && a.ours.peers >= b.ours.peers ? a : b),
    undefined,
  );
  const hold = top?.ours.heartbeat_hold;
  const held =
    !!hold && hold.open_sockets === top.ours.peers && hold.failed === 0 && hold.acked === hold.sent;
  return { peers: top?.ours.peers ?? 0, held };
}

/** The worst join latency ratio at R = 8 (any scale counts when none is). */
function worstLatency(
  scales: readonly ScaleComparison[],
  key: 'join_fanout_p50' | 'join_fanout_p99',
) {
  const r8 = scales.filter((s) => s.ours.party_size === LATENCY_PARTY_SIZE);
  const latencyScales = r8.length > 0 ? r8 : scales;
  return Math.max(...latencyScales.map((s) => s.ratios[key] ?? Number.POSITIVE_INFINITY));
}

function redisTargets(scales: readonly ScaleComparison[]): Targets {
  const onRedis = scales.flatMap((s) => s.redis ?? []);
  if (onRedis.length === 0) return {};
  const fanout = Math.min(...onRedis.map((r) => r.ratios.fanout_throughput ?? 0));
  const durable = onRedis.every((r) => r.durability.ok);
  return {
    redis_fanout_ratio_min: {
      target: '>= 0.4 of raw ws on Redis (1 and 2 instances)',
      value: fanout,
      met: fanout >= 0.4,
    },
    redis_durability: {
      target: 'every acknowledged join on Redis survives kill -9 of every server',
      value: durable,
      met: durable,
    },
  };
}

function presenceTargets(scales: readonly ScaleComparison[]): Targets {
  const beats = Math.min(...scales.map((s) => s.ratios.heartbeat_throughput ?? 0));
  const steadyPushes = sum(scales.map((s) => s.ours.heartbeat_hold.presence_pushes));
  const { peers, held } = heldAll(scales);
  return {
    heartbeat_throughput_ratio_min: {
      target: '>= 0.9 of raw ws at every scale',
      value: beats,
      met: beats >= 0.9,
    },
    presence_pushes_steady: {
      target: '0 peer_status while every member beats steadily',
      value: steadyPushes,
      met: steadyPushes === 0,
    },
    peers_held_with_heartbeats: {
      target: `${peers} peers, every heartbeat acked`,
      value: held,
      met: held,
    },
  };
}

export function evaluateTargets(scales: readonly ScaleComparison[]): Targets {
  const fanout = Math.min(...scales.map((s) => s.ratios.fanout_throughput ?? 0));
  const p50 = worstLatency(scales, 'join_fanout_p50');
  const p99 = worstLatency(scales, 'join_fanout_p99');
  const durable = scales.every((s) => s.durability.ok);
  return {
    ...presenceTargets(scales),
    fanout_throughput_ratio_min: { target: '>= 0.8 of raw ws', value: fanout, met: fanout >= 0.8 },
    join_fanout_p50_ratio_max: { target: '<= 2x raw ws (R = 8)', value: p50, met: p50 <= 2 },
    join_fanout_p99_ratio_max: { target: '<= 1.5x raw ws (R = 8)', value: p99, met: p99 <= 1.5 },
    durability: {
      target: 'every acknowledged join survives kill -9',
      value: durable,
      met: durable,
    },
    ...redisTargets(scales),
  };
}
