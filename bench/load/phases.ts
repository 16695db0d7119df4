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
  SettleResult,
} from './messages';
import { beatEach, HeartbeatPhases } from './heartbeats';
import {
  PeerClient,
  peerDict,
  REQUEST_TIMEOUT_MS,
  ServerRefusal,
  type WireMessage,
} from './peer-client';
import { runPool } from './pool';

interface SimParty {
  partyId: string;
  clients: PeerClient[];
  rotation: number;
  /** A party runs one churn cycle at a time, or the expected fan-out counts would be wrong. */
  busy: boolean;
  /** Members whose last acknowledged request was a leave (out of the party as far as told). */
  out: Set<string>;
  /** Members whose last leave or join got no answer (in or out: nobody was told). */
  uncertain: Set<string>;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Hands out the parties in turn, skipping any busy with a churn cycle. */
function freeParties(eligible: readonly SimParty[]): () => SimParty {
  let cursor = 0;
  return () => {
    // Lanes never outnumber parties, so a free one is always within one lap.
    for (;;) {
      const party = eligible[cursor++ % eligible.length]!;
      if (!party.busy) return party;
    }
  };
}

export class LoadWorker {
  private readonly tracker = new FanoutTracker();
  private readonly parties: SimParty[];
  private readonly clients: PeerClient[];
  /** The server each client connects to (members of one party alternate between servers). */
  private readonly urlOf = new Map<PeerClient, string>();
  private readonly heartbeats: HeartbeatPhases;

  constructor(
    private readonly urls: readonly string[],
    plans: readonly PartyPlan[],
  ) {
    this.parties = plans.map((plan) => ({
      partyId: plan.party_id,
      rotation: 0,
      busy: false,
      out: new Set<string>(),
      uncertain: new Set<string>(),
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
    this.heartbeats = new HeartbeatPhases(this.clients, this.tracker);
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
    await beatEach(this.clients);
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
    const nextFree = freeParties(eligible);
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
      absent: this.parties
        .filter((p) => p.out.size + p.uncertain.size > 0)
        .map((p) => [p.partyId, p.out.size, p.uncertain.size]),
    };
  }

  /** Every peer heartbeats every `intervalMs` for `durationMs` (heartbeats.ts). */
  heartbeatHold(intervalMs: number, durationMs: number): Promise<HeartbeatResult> {
    return this.heartbeats.hold(intervalMs, durationMs);
  }

  /** Readies the burst: every member's round trip told, its pushes arrived (heartbeats.ts). */
  heartbeatSettle(): Promise<SettleResult> {
    return this.heartbeats.settle();
  }

  /** Every peer heartbeats back-to-back (one in flight each) for `durationMs`. */
  heartbeatBurst(durationMs: number): Promise<HeartbeatResult> {
    return this.heartbeats.burst(durationMs);
  }

  close(): void {
    for (const client of this.clients) client.close();
  }

  private async join(party: SimParty, member: PeerClient): Promise<void> {
    const request = member.request({
      type: 'join_party',
      party_id: party.partyId,
      peer: peerDict(member.peerId, party.clients.indexOf(member)),
    });
    const answer = await track(party, member.peerId, request, false);
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
    const leave = { type: 'leave_party', party_id: partyId, peer_id: member.peerId };
    const leaveAnswer = track(party, member.peerId, member.request(leave), true);
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
}

/**
 * Keeps `party.out` to what the server acknowledged (the durability check expects exactly
 * the members not out): a member is out after an acknowledged leave until an acknowledged
 * join. A refused request changed nothing; one with no answer leaves the member uncertain.
 */
function track(
  party: SimParty,
  peerId: string,
  answer: Promise<WireMessage>,
  leaving: boolean,
): Promise<WireMessage> {
  return answer.then(
    (message) => {
      party.uncertain.delete(peerId);
      if (!leaving) party.out.delete(peerId);
      else if (message.type === 'ack') party.out.add(peerId);
      return message;
    },
    (error: unknown) => {
      if (!(error instanceof ServerRefusal)) party.uncertain.add(peerId);
      throw error;
    },
  );
}
