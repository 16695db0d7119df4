/**
 * What the server counts, and its Prometheus exposition (prom-client) for `/metrics`.
 * Handlers and the commit pipeline report through the small ServerMetrics interface;
 * gauges (connections, sessions, parties, members) are read from their owners only when
 * scraped, so they cost nothing per message. Labels are bounded: message types and error
 * codes come from the protocol's own lists, anything else counts as `other`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ClientMessageSchema } from '../../shared/protocol/client-messages';
import { ErrorCode, ServerMessageSchema } from '../../shared/protocol/protocol';
import type { MetricSources, ServerMetrics, ServerState } from './metrics-api';

const typesOf = (schema: { options: readonly { shape: { type: { value: string } } }[] }) =>
  new Set(schema.options.map((o) => o.shape.type.value));
const CLIENT_TYPES = typesOf(ClientMessageSchema);
const SERVER_TYPES = typesOf(ServerMessageSchema);
const ERROR_CODES = new Set<string>([...Object.values(ErrorCode), 'internal', 'unavailable']);
/** Every frame we send is JSON.stringify of an object whose first key is `type`. */
const PREFIX = '{"type":"';
const QUOTE = 0x22;

function frameType(frame: string | Buffer): string {
  let type: string | undefined;
  if (typeof frame === 'string') {
    const end = frame.indexOf('"', PREFIX.length);
    if (frame.startsWith(PREFIX) && end > 0) type = frame.slice(PREFIX.length, end);
  } else {
    const end = frame.indexOf(QUOTE, PREFIX.length);
    if (end > 0 && end < 48) type = frame.toString('latin1', PREFIX.length, end);
  }
  return type !== undefined && SERVER_TYPES.has(type) ? type : 'other';
}

/**
 * Counts by label in plain numbers, handed to prom-client only when scraped: a fan-out
 * counts every frame it writes, and prom-client hashes the labels on every inc (~1 µs).
 */
class LabelCounts {
  private readonly counts = new Map<string, number>();

  add(value: string): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }

  counter(name: string, help: string, label: string, registry: Registry): void {
    const counts = this.counts;
    new Counter({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      collect() {
        this.reset();
        for (const [value, n] of counts) this.inc({ [label]: value }, n);
      },
    });
  }
}

/** 0.1 ms to 5 s: a commit is one fsync (sub-ms idle, tens of ms on a busy disk). */
const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

export class PromMetrics implements ServerMetrics {
  readonly registry = new Registry();
  private readonly messagesIn = new LabelCounts();
  private readonly messagesOut = new LabelCounts();
  private readonly errors = new LabelCounts();
  private readonly adminRefusals = new LabelCounts();
  /** The last frame sent and its type: a fan-out sends one Buffer to every member. */
  private lastFrame: Buffer | null = null;
  private lastType = 'other';
  private readonly commitSeconds: Histogram;
  private readonly fanoutSeconds: Histogram;
  private readonly relayCredentialsIssued: Counter;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'lanrage_' });
    this.gauges(sources);
    this.labelCounters();
    this.commitSeconds = new Histogram({
      name: 'lanrage_commit_seconds',
      help: 'Time for one durable store commit (a group of changes)',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.fanoutSeconds = new Histogram({
      name: 'lanrage_fanout_seconds',
      help: 'From a party change to its events written to every connected member',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    // Not the `relay` answers (messages_sent counts those, empty ones too): credentials given.
    this.relayCredentialsIssued = new Counter({
      name: 'lanrage_relay_credentials_total',
      help: 'TURN relay credentials handed to party members (get_relay)',
      registers,
    });
  }

  /** The counters by label, handed to prom-client only when scraped (LabelCounts). */
  private labelCounters(): void {
    this.messagesIn.counter(
      'lanrage_messages_received_total',
      'Client messages received, by type (invalid: not a protocol message)',
      'type',
      this.registry,
    );
    this.messagesOut.counter(
      'lanrage_messages_sent_total',
      'Frames sent to clients, by message type',
      'type',
      this.registry,
    );
    this.errors.counter(
      'lanrage_errors_total',
      'Error answers sent, by code',
      'code',
      this.registry,
    );
    this.adminRefusals.counter(
      'lanrage_admin_refusals_total',
      'Requests to the operator API refused: unauthorized (no or a wrong token), rate_limited',
      'reason',
      this.registry,
    );
  }

  private gauges(sources: MetricSources): void {
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    };
    gauge('lanrage_connections', 'Open WebSocket connections', sources.connections);
    // Not the shared state: with --redis each server counts its own, and the count outlived a
    // Redis that came back without its data. Summed or alerted on as the total, it misled.
    gauge(
      'lanrage_sessions',
      "Session tokens held in this process's memory (with --redis, this server's own)",
      sources.sessions,
    );
    gauge('lanrage_parties', 'Parties', sources.parties);
    gauge('lanrage_members', 'Peers in all parties', sources.members);
  }

  received(type: string): void {
    this.messagesIn.add(CLIENT_TYPES.has(type) ? type : 'invalid');
  }

  sent(frame: string | Buffer, type?: string): void {
    if (type !== undefined) return this.messagesOut.add(SERVER_TYPES.has(type) ? type : 'other');
    // Compared by identity: a Buffer sent to every member of a fan-out. (Two strings would be
    // compared by content, which costs what reading the type does.)
    if (typeof frame === 'string') return this.messagesOut.add(frameType(frame));
    if (frame !== this.lastFrame) {
      this.lastFrame = frame;
      this.lastType = frameType(frame);
    }
    this.messagesOut.add(this.lastType);
  }

  failed(code: string): void {
    this.errors.add(ERROR_CODES.has(code) ? code : 'other');
  }

  committed(seconds: number): void {
    this.commitSeconds.observe(seconds);
  }

  fannedOut(seconds: number): void {
    this.fanoutSeconds.observe(seconds);
  }

  relayCredentials(): void {
    this.relayCredentialsIssued.inc();
  }

  adminRefused(reason: 'unauthorized' | 'rate_limited'): void {
    this.adminRefusals.add(reason);
  }

  /** The Prometheus text exposition. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** The server's metrics; `state` is read at scrape time (so it may be wired after). */
export function serverMetrics(state: () => ServerState): PromMetrics {
  return new PromMetrics({
    connections: () => state().connections.size,
    sessions: () => state().context.sessions.sessionCount,
    parties: () => state().context.service.parties.size,
    members: () => {
      let n = 0;
      for (const party of state().context.service.parties.values()) n += party.peers.size;
      return n;
    },
  });
}
