import { describe, expect, it } from 'vitest';
import type { DurabilityResult } from '../load/durability';
import type { ScaleResult } from '../load/scale-types';
import { combinePairs, median, medianOf } from './repeat';
import { serverTable } from './table';
import type { ScaleComparison } from './types';

function durability(overrides: Partial<DurabilityResult> = {}): DurabilityResult {
  return {
    ok: true,
    parties_checked: 13,
    missing_parties: 0,
    missing_members: 0,
    extra_members: 0,
    left_out: 0,
    uncertain: 0,
    restart_ms: 100,
    first_error: null,
    ...overrides,
  };
}

/** A scale result whose fan-out and join p50 are the given figures (the rest fixed). */
function result(fanout: number, p50: number, bottleneck = 'server'): ScaleResult {
  const lat = { count: 10, p50, p95: p50 * 2, p99: p50 * 3, max: p50 * 4 };
  const cpu = { server: 90, gen0: 40, gen1: 40 };
  return {
    peers: 1000,
    party_size: 8,
    connect: { connected: 1000, failed: 0, elapsed_ms: 500, per_s: 2000, cpu },
    form: { joined: 1000, elapsed_ms: 500, joins_per_s: 2000, cpu },
    rss: { idle_mb: 50, held_mb: 100, per_peer_kb: 50 },
    latency: { join_fanout_ms: lat, cycles: 400, failed: 0, cpu },
    left_out: { members: 0, uncertain: 0, parties: [] },
    throughput: {
      deliveries_per_s: fanout,
      cycles_per_s: fanout / 14,
      join_fanout_ms: lat,
      failed: 0,
      cpu,
      bottleneck,
    },
    heartbeat_burst: {
      acks_per_s: 20_000,
      presence_pushes: 0,
      rtt_ms: lat,
      failed: 0,
      settle_ms: 1000,
      settle_pushes: 0,
      cpu,
      bottleneck,
    },
    heartbeat_hold: {
      interval_s: 30,
      duration_s: 10,
      acks_per_s: 33,
      expected_per_s: 33,
      sent: 333,
      acked: 333,
      failed: 0,
      open_sockets: 1000,
      presence_pushes: 0,
      rtt_ms: lat,
      cpu,
    },
    first_error: null,
  };
}

function pair(rawFanout: number, oursFanout: number, d = durability()): ScaleComparison {
  return {
    raw: result(rawFanout, 1),
    ours: result(oursFanout, 2),
    durability: d,
    ratios: { fanout_throughput: oursFanout / rawFanout, join_fanout_p50: 2 },
  };
}

describe('bench:server --repeat', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('judges each ratio on the median of the pairs and keeps their range', () => {
    const combined = combinePairs([pair(100, 50), pair(100, 90), pair(100, 70)]);
    expect(combined.ratios.fanout_throughput).toBe(0.7);
    expect(combined.ratio_range?.fanout_throughput).toEqual([0.5, 0.9]);
    expect(combined.pairs).toHaveLength(3);
  });

  it('reports figures as field-wise medians, strings as the most common', () => {
    const runs = [result(10, 1, 'server'), result(30, 3, 'machine'), result(20, 2, 'machine')];
    const m = medianOf(runs);
    expect(m.throughput.deliveries_per_s).toBe(20);
    expect(m.latency.join_fanout_ms.p99).toBe(6);
    expect(m.throughput.bottleneck).toBe('machine');
  });

  it("keeps a pair's first error even when the first pair had none", () => {
    const failed = { ...result(20, 2), first_error: 'p_x: no answer to join_party in 10000 ms' };
    const m = medianOf([result(10, 1), failed, result(30, 3)]);
    expect(m.first_error).toBe('p_x: no answer to join_party in 10000 ms');
    expect(medianOf([result(10, 1), result(30, 3)]).first_error).toBeNull();
  });

  it('is durable only if every pair was, reporting the worst loss', () => {
    const lost = durability({ ok: false, missing_members: 3, first_error: 'p_x lost m1' });
    const combined = combinePairs([pair(100, 80), pair(100, 80, lost), pair(100, 80)]);
    expect(combined.durability.ok).toBe(false);
    expect(combined.durability.missing_members).toBe(3);
    expect(combined.durability.first_error).toBe('p_x lost m1');
  });

  it('combines the Redis runs of every pair label by label, with their range', () => {
    const withRedis = (oursOnRedis: number): ScaleComparison => ({
      ...pair(100, 80),
      redis: [
        {
          label: 'LANrage on Redis',
          result: result(oursOnRedis, 3),
          durability: durability(),
          ratios: { fanout_throughput: oursOnRedis / 100 },
        },
      ],
    });
    const combined = combinePairs([withRedis(40), withRedis(60), withRedis(35)]);
    const [onRedis] = combined.redis!;
    expect(onRedis!.ratios.fanout_throughput).toBe(0.4);
    expect(onRedis!.ratio_range?.fanout_throughput).toEqual([0.35, 0.6]);
    expect(onRedis!.result.throughput.deliveries_per_s).toBe(40);
  });

  it('leaves a single pair as it was measured', () => {
    const one = pair(100, 80);
    expect(combinePairs([one])).toBe(one);
  });

  it('prints the medians and the range in the table', () => {
    const scales = [combinePairs([pair(100, 50), pair(100, 90), pair(100, 70)])];
    const table = serverTable({
      bench: 'server',
      machine: {
        cores: 2,
        cpu_model: 'x',
        memory_mb: 1,
        node: 'v20',
        platform: 'linux',
        date: '2026-12-02',
      },
      smoke: false,
      repeat: 3,
      ours_store: 'memory',
      scales,
      targets: {},
    });
    expect(table).toContain('ratio ours/raw (median of 3)');
    expect(table).toContain('LANrage (memory store) (median of 3)');
    expect(table).toMatch(/range over the pairs\s+\|[^|]*\|\s*0\.5–0\.9\s/);
  });
});
