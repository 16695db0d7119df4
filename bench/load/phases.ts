/**
 * What one load worker does in each phase of a run, over its own simulated peers. Every
 * loop is bounded by a count and a deadline.
 */
import { FanoutKind, FanoutTracker } from './fanout-tracker';
import type {
  ChurnResult,
  ConnectResult,
  FormResult,
  HeartbeatResult,
  PartyPlan,
} from './messages';
import { PeerClient, peerDict, REQUEST_TIMEOUT_MS } from './peer-client';
import { runPool } from './pool';

interface SimParty {
  partyId: string;
  clients: PeerClient[];
  rotation: number;
  /** A party runs one churn cycle at a time, or the expected fan-out counts would be wrong. */
  busy: boolean;
}

const CONNECT_TIMEOUT_MS = 10_000;
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
const PRESENCE_SETTLE_MAX_MS = 15_000;

export class LoadWorker {
  private readonly tracker = new FanoutTracker();
  private readonly parties: SimParty[];
  private readonly clients: PeerClient[];
  /** The server each client connects to (members of one party alternate between servers). */
  private readonly urlOf = new Map<PeerClient, string>();

  constructor(
    private readonly urls: readonly string[],
    plans: readonly PartyPlan[],
  ) {
    this.parties = plans.map((plan) => ({
      partyId: plan.party_id,
      rotation: 0,
      busy: false,
      clients: Array.from(
        { length: plan.size },
        (_, i) =>
          new PeerClient(`${plan.party_id}_m${i}`, plan.party_id, i === 0, this.tracker.sink),
      ),
    }));
    this.clients = this.parties.flatMap((p) => p.clients);
    for (const party of this.parties) {
      party.clients.forEach((c, i) => this.urlOf.set(c, urls[i % urls.length]!));
    }
  }

  async connect(concurrency: number): Promise<ConnectResult> {
    const started = performance.now();
    let interval: number | null = null;
    const outcome = await runPool(this.clients, concurrency, async (client) => {
      await client.connect(this.urlOf.get(client)!, CONNECT_TIMEOUT_MS);
      const welcome = await client.request({
        type: 'hello',
        version: '1.0',
        client: 'lanrage-bench',
      });
      if (welcome.type !== 'welcome') throw new Error(`hello answered with ${welcome.type}`);
      interval ??=
        typeof welcome.heartbeat_interval === 'number' ? welcome.heartbeat_interval : null;
    });
    return {
      connected: outcome.ok,
      failed: outcome.failed,
      elapsed_ms: performance.now() - started,
      heartbeat_interval_s: interval,
      first_error: outcome.firstError,
    };
  }

  /** Hosts register their parties, then members join in small concurrent groups. */
  async form(concurrency: number): Promise<FormResult> {
    const started = performance.now();
    let joined = 0;
    const outcome = await runPool(this.parties, concurrency, async (party) => {
      const [host, ...members] = party.clients;
      const answer = await host!.request({
        type: 'register_party',
        party_id: party.partyId,
        name: `Bench ${party.partyId.slice(-20)}`,
        host_peer: peerDict(host!.peerId, 0),
      });
      if (answer.type !== 'party_update') throw new Error(`register answered with ${answer.type}`);
      joined++;
      const joins = await runPool(members, 16, async (member) => {
        await this.join(party, member);
        joined++;
      });
      if (joins.firstError) throw new Error(joins.firstError);
    });
    // A heartbeat round trip on every socket: all fan-out of the joins has arrived after it.
    await runPool(this.clients, 512, (c) => this.beat(c).then(() => undefined));
    return {
      joined,
      failed: this.clients.length - joined,
      elapsed_ms: performance.now() - started,
      first_error: outcome.firstError,
    };
  }

  /** Parties cycle one member out and back in; each join is timed until all others have it. */
  async churn(lanes: number, maxCycles: number, durationMs: number): Promise<ChurnResult> {
    const eligible = this.parties.filter((p) => p.clients.length >= 2);
    const started = performance.now();
    const deadline = started + durationMs;
    const deliveriesBefore = this.tracker.deliveries;
    const latencies: number[] = [];
    let cycles = 0;
    let failed = 0;
    let firstError: string | null = null;
    let cursor = 0;
    const nextFree = (): SimParty => {
      // Lanes never outnumber parties, so a free one is always within one lap.
      for (;;) {
        const party = eligible[cursor++ % eligible.length]!;
        if (!party.busy) return party;
      }
    };
    const lane = async (): Promise<void> => {
      while (cycles + failed < maxCycles && performance.now() < deadline) {
        const party = nextFree();
        party.busy = true;
        try {
          latencies.push(await this.cycle(party));
          cycles++;
        } catch (error) {
          failed++;
          firstError ??= error instanceof Error ? error.message : String(error);
        } finally {
          party.busy = false;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(lanes, eligible.length) }, lane));
    return {
      cycles,
      failed,
      join_latencies_ms: latencies,
      deliveries: this.tracker.deliveries - deliveriesBefore,
      elapsed_ms: performance.now() - started,
      first_error: firstError,
    };
  }

  /** Every peer heartbeats every `intervalMs` (random phase) for `durationMs`. */
  async heartbeatHold(intervalMs: number, durationMs: number): Promise<HeartbeatResult> {
    const started = performance.now();
    const deadline = started + durationMs;
    const result = this.emptyHeartbeatResult();
    // Beats spread evenly over the interval (not at random), so the load is steady and even a
    // short hold sees a known number of beats.
    const spread = intervalMs / Math.max(1, this.clients.length);
    const beats = this.clients.map(async (client, index) => {
      let due = started + (index + 0.5) * spread;
      while (due < deadline) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
        await this.countedBeat(client, result);
        due += intervalMs;
      }
    });
    await Promise.all(beats);
    return this.finishHeartbeats(result, started);
  }

  /** Every peer heartbeats back-to-back (one in flight each) for `durationMs`. */
  async heartbeatBurst(durationMs: number): Promise<HeartbeatResult> {
    // One untimed beat each first: members that rejoined in the churn announce their round
    // trip (one peer_status to their party each), so the burst measures steady beats only.
    // Those pushes (up to N × (R − 1) frames) must have arrived before the burst starts:
    // a fixed 200 ms wait left most of them (45 874 at N = 1 000, R = 64) inside the burst.
    await runPool(this.clients, 512, (c) => this.beat(c).then(() => undefined));
    await this.untilPresenceQuiet();
    const started = performance.now();
    const deadline = started + durationMs;
    const result = this.emptyHeartbeatResult();
    const loops = this.clients.map(async (client) => {
      while (performance.now() < deadline && client.open) {
        const next = performance.now() + BURST_GAP_MS;
        await this.countedBeat(client, result);
        const wait = next - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    });
    await Promise.all(loops);
    return this.finishHeartbeats(result, started);
  }

  close(): void {
    for (const client of this.clients) client.close();
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

  private async join(party: SimParty, member: PeerClient): Promise<void> {
    const answer = await member.request({
      type: 'join_party',
      party_id: party.partyId,
      peer: peerDict(member.peerId, party.clients.indexOf(member)),
    });
    if (answer.type !== 'party_update') throw new Error(`join answered with ${answer.type}`);
  }

  private async cycle(party: SimParty): Promise<number> {
    const others = party.clients.length - 1;
    const member = party.clients[1 + (party.rotation++ % others)]!;
    const { partyId } = party;
    const left = this.tracker.expect(
      FanoutKind.LEFT,
      partyId,
      member.peerId,
      others,
      REQUEST_TIMEOUT_MS,
    );
    const leaveAnswer = member.request({
      type: 'leave_party',
      party_id: partyId,
      peer_id: member.peerId,
    });
    await Promise.all([leaveAnswer, left]);
    const joined = this.tracker.expect(
      FanoutKind.JOINED,
      partyId,
      member.peerId,
      others,
      REQUEST_TIMEOUT_MS,
    );
    const sent = performance.now();
    const [, lastAt] = await Promise.all([this.join(party, member), joined]);
    return lastAt - sent;
  }

  private async beat(client: PeerClient): Promise<number> {
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

  private async countedBeat(client: PeerClient, result: HeartbeatResult): Promise<void> {
    result.sent++;
    try {
      const rtt = await this.beat(client);
      result.acked++;
      if (result.rtt_ms.length < MAX_RTT_SAMPLES) result.rtt_ms.push(rtt);
    } catch (error) {
      result.failed++;
      result.first_error ??= error instanceof Error ? error.message : String(error);
      // A dead socket must not spin the loop.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private emptyHeartbeatResult(): HeartbeatResult {
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

  private finishHeartbeats(result: HeartbeatResult, started: number): HeartbeatResult {
    result.elapsed_ms = performance.now() - started;
    result.presence_pushes = this.tracker.presencePushes - result.presence_pushes;
    result.open_sockets = this.clients.filter((c) => c.open).length;
    return result;
  }
}
