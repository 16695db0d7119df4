/** What one scale of the server bench is asked to do (ScaleSpec) and what it reports. */
import type { LatencySummary } from '../lib/stats';

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
/**
 * Members out of their party when the churn ended: a cycle that failed half way (its leave
 * acknowledged, its join refused or never sent) leaves one out, and one whose request got
 * no answer may be either. The durability check expects exactly the others.
 */
export interface LeftOut {
  members: number;
  uncertain: number;
  /** [party, out, uncertain] */
  parties: [string, number, number][];
}
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
    /** peer_status frames members received (the first steady rtt of each member, at most). */
    presence_pushes: number;
    rtt_ms: LatencySummary;
    failed: number;
    /** The untimed beat each and the wait for its pushes to end, before the burst (ms). */
    settle_ms: number;
    /** peer_status frames members received meanwhile (each rejoined member's round trip). */
    settle_pushes: number;
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
    /** peer_status frames members received while every member beat steadily: wants 0. */
    presence_pushes: number;
    rtt_ms: LatencySummary;
    cpu: Cpu;
  };
  left_out: LeftOut;
  first_error: string | null;
}
