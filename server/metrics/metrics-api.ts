/**
 * What the server reports to its metrics, without the Prometheus client: the server core
 * (also embedded in the desktop app, which ships no prom-client) depends only on this.
 */
export interface ServerMetrics {
  /** A client frame, by message type (`invalid`: not a protocol message). */
  received(type: string): void;
  /** A frame written to a client; `type` when the sender knows it (else read from the frame). */
  sent(frame: string | Buffer, type?: string): void;
  /** An `error` answer, by code. */
  failed(code: string): void;
  /** A store commit finished durably after `seconds`. */
  committed(seconds: number): void;
  /** A change reached every connected member, `seconds` after it was made (commit included). */
  fannedOut(seconds: number): void;
  /** TURN credentials handed to a member (`get_relay` on a server with a relay). */
  relayCredentials(): void;
  /** A request to the operator's API refused: no or a wrong token (401), or throttled (429). */
  adminRefused(reason: 'unauthorized' | 'rate_limited'): void;
}

export const noMetrics: ServerMetrics = {
  received: () => undefined,
  sent: () => undefined,
  failed: () => undefined,
  committed: () => undefined,
  fannedOut: () => undefined,
  relayCredentials: () => undefined,
  adminRefused: () => undefined,
};

/** Read at scrape time. */
export interface MetricSources {
  connections: () => number;
  sessions: () => number;
  parties: () => number;
  members: () => number;
}

/** The Prometheus text for `/metrics`. */
export interface Exposition {
  exposition(): Promise<{ contentType: string; body: string }>;
}

/** What the gauges read from a running server. */
export interface ServerState {
  connections: { readonly size: number };
  context: {
    service: { parties: ReadonlyMap<string, { peers: { readonly size: number } }> };
    sessions: { readonly sessionCount: number };
  };
}
