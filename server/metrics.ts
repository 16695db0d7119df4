/**
 * What the server counts, and its Prometheus exposition (prom-client) for `/metrics`.
 * Handlers and the commit pipeline report through the small ServerMetrics interface;
 * gauges (connections, sessions, parties, members) are read from their owners only when
 * scraped, so they cost nothing per message. Labels are bounded: message types and error
 * codes come from the protocol's own lists, anything else counts as `other`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ClientMessageSchema, ErrorCode, ServerMessageSchema } from '../shared/protocol';

export interface ServerMetrics {
  /** A client frame, by message type (`invalid`: not a protocol message). */
  received(type: string): void;
  /** A frame written to a client. */
  sent(frame: string | Buffer): void;
  /** An `error` answer, by code. */
  failed(code: string): void;
  /** A store commit finished durably after `seconds`. */
  committed(seconds: number): void;
  /** A change reached every connected member, `seconds` after it was made (commit included). */
  fannedOut(seconds: number): void;
}

export const noMetrics: ServerMetrics = {
  received: () => undefined,
  sent: () => undefined,
  failed: () => undefined,
  committed: () => undefined,
  fannedOut: () => undefined,
};

/** Read at scrape time. */
export interface MetricSources {
  connections: () => number;
  sessions: () => number;
  parties: () => number;
  members: () => number;
}

const typesOf = (schema: { options: readonly { shape: { type: { value: string } } }[] }) =>
  new Set(schema.options.map((o) => o.shape.type.value));
const CLIENT_TYPES = typesOf(ClientMessageSchema);
const SERVER_TYPES = typesOf(ServerMessageSchema);
const ERROR_CODES = new Set<string>([...Object.values(ErrorCode), 'internal', 'unavailable']);
/** Every frame we send is JSON.stringify of an object whose first key is `type`. */
const FRAME_TYPE = /^\{"type":"([a-z_]{1,32})"/;

function frameType(frame: string | Buffer): string {
  const head = typeof frame === 'string' ? frame.slice(0, 48) : frame.toString('latin1', 0, 48);
  const type = FRAME_TYPE.exec(head)?.[1];
  return type && SERVER_TYPES.has(type) ? type : 'other';
}

/** 0.1 ms to 5 s: a commit is one fsync (sub-ms idle, tens of ms on a busy disk). */
const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

export class PromMetrics implements ServerMetrics {
  readonly registry = new Registry();
  private readonly messagesIn: Counter<'type'>;
  private readonly messagesOut: Counter<'type'>;
  private readonly errors: Counter<'code'>;
  private readonly commitSeconds: Histogram;
  private readonly fanoutSeconds: Histogram;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'lanrage_' });
    this.gauges(sources);
    this.messagesIn = new Counter({
      name: 'lanrage_messages_received_total',
      help: 'Client messages received, by type (invalid: not a protocol message)',
      labelNames: ['type'],
      registers,
    });
    this.messagesOut = new Counter({
      name: 'lanrage_messages_sent_total',
      help: 'Frames sent to clients, by message type',
      labelNames: ['type'],
      registers,
    });
    this.errors = new Counter({
      name: 'lanrage_errors_total',
      help: 'Error answers sent, by code',
      labelNames: ['code'],
      registers,
    });
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
    gauge('lanrage_sessions', 'Session tokens the server knows', sources.sessions);
    gauge('lanrage_parties', 'Parties', sources.parties);
    gauge('lanrage_members', 'Peers in all parties', sources.members);
  }

  /** Label children cached: a fan-out counts every frame, and hashing labels each time adds up. */
  private readonly children = new Map<string, { inc(): void }>();

  private count(counter: Counter<'type'> | Counter<'code'>, label: string, value: string): void {
    const key = `${label}\u0000${value}`;
    let child = this.children.get(key);
    if (!child) this.children.set(key, (child = counter.labels(value)));
    child.inc();
  }

  received(type: string): void {
    this.count(this.messagesIn, 'in', CLIENT_TYPES.has(type) ? type : 'invalid');
  }

  sent(frame: string | Buffer): void {
    this.count(this.messagesOut, 'out', frameType(frame));
  }

  failed(code: string): void {
    this.count(this.errors, 'code', ERROR_CODES.has(code) ? code : 'other');
  }

  committed(seconds: number): void {
    this.commitSeconds.observe(seconds);
  }

  fannedOut(seconds: number): void {
    this.fanoutSeconds.observe(seconds);
  }

  /** The Prometheus text exposition. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** What the gauges read from a running server. */
export interface ServerState {
  connections: { readonly size: number };
  context: {
    service: { parties: ReadonlyMap<string, { peers: { readonly size: number } }> };
    sessions: { readonly sessionCount: number };
  };
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
