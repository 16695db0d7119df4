/**
 * The heartbeat phases of a load worker: every simulated peer beats, held at the party's
 * interval or back-to-back, and each beat's round trip is counted. Every loop is bounded by
 * a deadline.
 */
import type { FanoutTracker } from './fanout-tracker';
import type { HeartbeatResult, SettleResult } from './messages';
import type { PeerClient } from './peer-client';
import { runPool } from './pool';

const MAX_RTT_SAMPLES = 50_000;
/**
 * A socket never heartbeats faster than 40/s: under the server's per-connection rate limit
 * (50/s), so the burst measures throughput, not refusals.
 */
const BURST_GAP_MS = 25;
/** What every simulated peer reports as its round trip (ms): a steady link. */
const STEADY_RTT_MS = 20;
/**
 * How long without a peer_status before the heartbeat burst starts, and the most to wait.
 * 300 ms was too short at load average 7–9: 32 832 pushes still arrived inside the burst at
 * N = 1 000, R = 64.
 */
const PRESENCE_QUIET_MS = 1000;
export const PRESENCE_SETTLE_MAX_MS = 15_000;

/** One heartbeat round trip (ms). */
export async function beat(client: PeerClient): Promise<number> {
  const sent = performance.now();
  // A steady round trip, as a client on a stable link reports it (protocol 1.1): the server
  // tells the others once, then nothing while it stays steady. The raw server ignores it.
  const answer = await client.request({
    type: 'heartbeat',
    party_id: client.partyId,
    peer_id: client.peerId,
    rtt_ms: STEADY_RTT_MS,
  });
  if (answer.type !== 'heartbeat_ack') throw new Error(`heartbeat answered with ${answer.type}`);
  return performance.now() - sent;
}

/** One round of beats on every socket: all fan-out sent before it has arrived after it. */
export async function beatEach(clients: readonly PeerClient[]): Promise<void> {
  await runPool(clients, 512, (c) => beat(c).then(() => undefined));
}

export class HeartbeatPhases {
  constructor(
    private readonly clients: readonly PeerClient[],
    private readonly tracker: FanoutTracker,
  ) {}

  /** Every peer heartbeats every `intervalMs` for `durationMs`. */
  async hold(intervalMs: number, durationMs: number): Promise<HeartbeatResult> {
    const started = performance.now();
    const deadline = started + durationMs;
    const result = this.emptyResult();
    // Beats spread evenly over the interval (not at random), so the load is steady and even a
    // short hold sees a known number of beats.
    const spread = intervalMs / Math.max(1, this.clients.length);
    const beats = this.clients.map(async (client, index) => {
      let due = started + (index + 0.5) * spread;
      while (due < deadline) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
        await countedBeat(client, result);
        due += intervalMs;
      }
    });
    await Promise.all(beats);
    return this.finish(result, started);
  }

  /**
   * One untimed beat each: members that rejoined in the churn announce their round trip (one
   * peer_status to their party each), so the burst measures steady beats only. Those pushes
   * (up to N × (R − 1) frames) must have arrived before the burst starts: a fixed 200 ms
   * wait left most of them (45 874 at N = 1 000, R = 64) inside the burst. A phase of its
   * own, so the burst's time (every worker's burst starting together) leaves this wait out.
   */
  async settle(): Promise<SettleResult> {
    const started = performance.now();
    const pushes = this.tracker.presencePushes;
    // A beat that fails fails the phase, as it did when this was part of the burst.
    await beatEach(this.clients);
    await this.untilPresenceQuiet();
    return {
      elapsed_ms: performance.now() - started,
      presence_pushes: this.tracker.presencePushes - pushes,
      first_error: null,
    };
  }

  /** Every peer heartbeats back-to-back (one in flight each) for `durationMs` (after settle). */
  async burst(durationMs: number): Promise<HeartbeatResult> {
    const started = performance.now();
    const deadline = started + durationMs;
    const result = this.emptyResult();
    const loops = this.clients.map(async (client) => {
      while (performance.now() < deadline && client.open) {
        const next = performance.now() + BURST_GAP_MS;
        await countedBeat(client, result);
        const wait = next - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    });
    await Promise.all(loops);
    return this.finish(result, started);
  }

  /** Waits until no peer_status arrived for PRESENCE_QUIET_MS (at most PRESENCE_SETTLE_MAX_MS). */
  private async untilPresenceQuiet(): Promise<void> {
    const giveUpAt = performance.now() + PRESENCE_SETTLE_MAX_MS;
    let seen = -1;
    while (seen !== this.tracker.presencePushes && performance.now() < giveUpAt) {
      seen = this.tracker.presencePushes;
      await new Promise((resolve) => setTimeout(resolve, PRESENCE_QUIET_MS));
    }
  }

  private emptyResult(): HeartbeatResult {
    return {
      presence_pushes: this.tracker.presencePushes,
      sent: 0,
      acked: 0,
      failed: 0,
      rtt_ms: [],
      elapsed_ms: 0,
      open_sockets: 0,
      first_error: null,
    };
  }

  private finish(result: HeartbeatResult, started: number): HeartbeatResult {
    result.elapsed_ms = performance.now() - started;
    result.presence_pushes = this.tracker.presencePushes - result.presence_pushes;
    result.open_sockets = this.clients.filter((c) => c.open).length;
    return result;
  }
}

async function countedBeat(client: PeerClient, result: HeartbeatResult): Promise<void> {
  result.sent++;
  try {
    const rtt = await beat(client);
    result.acked++;
    if (result.rtt_ms.length < MAX_RTT_SAMPLES) result.rtt_ms.push(rtt);
  } catch (error) {
    result.failed++;
    result.first_error ??= error instanceof Error ? error.message : String(error);
    // A dead socket must not spin the loop.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
