/**
 * The LANrage control server: an HTTP(S) server upgrading `/ws` to WebSocket, with the
 * party state in memory, persisted through a group-committed store. This core takes its
 * store, logger and metrics from the caller and imports no native module or server-only
 * package: `npm run server` (server.ts) gives it SQLite (or Redis), pino and prom-client;
 * the desktop app embeds it with a file store (electron/core/hosting/embedded/).
 */
import type http from 'node:http';
import { WebSocketServer } from 'ws';
import { acceptUpgrades, connectionWiring, type Wiring } from './connection/accept';
import { CLOSE_SERVICE_RESTART, MAX_FRAME_BYTES } from '../shared/protocol/protocol';
import { buildAccess, forgetParty, joinPage, type AccessOptions } from './access/wiring';
import { systemClock, type Clock } from '../shared/time/clock';
import { DEFAULT_TOUCH_PERSIST_MS, GroupCommitter } from './store/group-commit';
import type { Unstored } from './store/pending-changes';
import type { ServerContext } from './connection/handlers';
import { bearerCheck } from './http/bearer';
import { httpHandler, READY_PATH } from './http/health';
import { CachedExposition } from './metrics/exposition-cache';
import { ReadinessLog, type Readiness } from './http/ready-log';
import { adminApi } from './admin/admin-http';
import { moderation } from './admin/moderation';
import { createHttpServer, listen, listenOrAnyPort, serverUrl } from './http/listen';
import { clientAddress, proxyOptions, type ProxyOptions } from './http/client-address';
import { handshakeTimeouts, type LimitOptions } from './admission/limits';
import {
  noMetrics,
  type Exposition,
  type ServerMetrics,
  type ServerState,
} from './metrics/metrics-api';
import type { Logger } from '../shared/logger';
import { PartyService, type LoadedPresence } from './party/party-service';
import { LocalPresence } from './presence/presence';
import { PresenceTable } from './presence/presence-table';
import { DEFAULT_QUOTAS, Quotas, type QuotaOptions } from './admission/quotas';
import { SessionRegistry } from './connection/sessions';
import type { LoadedState, PartyStore } from './store/store';
import type { StateBackend } from './state/backend';
import { UpdateCoalescer } from './party/update-coalescer';
import { startTimers, type TimerOptions } from './server-timers';
import { counted } from '../shared/counted';
import type { RelayOptions } from './relay/turn-credentials';
import { HEARTBEAT_INTERVAL, PEER_TIMEOUT } from '../shared/time/intervals';
import { DEFAULT_SERVER_PORT } from '../shared/values/server-url';

/**
 * The connection limits (rate, unsent bytes, caps, timeouts) are in LimitOptions, access
 * control's (public URL, approval checks) in AccessOptions, the sweep's and the keepalive's
 * periods in TimerOptions.
 */
export interface CoreOptions extends LimitOptions, AccessOptions, TimerOptions {
  host?: string;
  port?: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * A second port serving the same server over TLS (an app's embedded server on the LAN: its
   * guests pin the certificate it announces; plain ws stays for this PC and older apps).
   * Taken, the port falls back to any free one: the host announces whichever it got.
   */
  alsoTls?: { cert: string | Buffer; key: string | Buffer; port: number };
  clock?: Clock;
  /** What `welcome` tells clients; defaults to HEARTBEAT_INTERVAL's (the spec's 30 s). */
  heartbeatIntervalS?: number;
  logger?: Logger;
  /** How often heartbeat refreshes of last seen are persisted (default: touchPersistMs()). */
  touchPersistMs?: number;
  /** Defaults to DEFAULT_QUOTAS; NO_QUOTAS turns them off. */
  quotas?: QuotaOptions;
  /** How members loaded from the store start (default `fresh`; see LoadedPresence). */
  loadedPresence?: LoadedPresence;
  /** The operator's secret (`--admin-token-file`): serves `/admin/…`; absent, it is off. */
  adminToken?: string;
  /** `--metrics-token-file`'s secret: `/metrics` answers only a bearer of it. */
  metricsToken?: string;
  /** The operator's TURN relays (`--turn-url`); absent, members are told of none. */
  relay?: RelayOptions;
  /**
   * `--trusted-proxy`: the load balancers (`address/prefix`) whose connections start with a
   * PROXY header naming the client (http/client-address.ts).
   */
  trustedProxies?: readonly string[];
}

/** For an app's embedded server: identity proofs must name this machine (protocol 1.7). */
export { ownOrigins, type AudienceCheck } from './access/identity/audience';

/** For an app's embedded server: its file store as the core's backend. */
export { EmbeddedBackend } from './state/embedded';

/** What the core is given instead of importing it. */
export interface CoreDeps {
  /** Where the state lives (server/state/): one server's own store, or one several share. */
  backend: StateBackend;
  logger: Logger;
  /** Default: no metrics, and `/metrics` says so. */
  metrics?: (state: () => ServerState) => ServerMetrics & Exposition;
}

const NO_EXPOSITION: Exposition = {
  exposition: () =>
    Promise.resolve({ contentType: 'text/plain', body: '# metrics are off in this server\n' }),
};

export interface RunningServer {
  url: string;
  port: number;
  /** The `alsoTls` port it listens on, or null without one. */
  tlsPort: number | null;
  /** For tests and benchmarks. */
  readonly context: ServerContext;
  /**
   * Drains (SIGTERM): answers what was accepted, closes every connection with 1012 (reconnect
   * and resume), flushes and closes the store. Resolves with what the store did not take (a
   * count of 0: everything is stored).
   */
  close(): Promise<Unstored>;
}

/** The heartbeat interval announced in `welcome` (seconds). */
const heartbeatSeconds = (options: CoreOptions): number =>
  options.heartbeatIntervalS ?? HEARTBEAT_INTERVAL.defaultSeconds;

/**
 * How often heartbeats' last seen are written: 5 s, and on a store other servers share at
 * most a quarter of the heartbeat interval. The server that sweeps learns of the beats its
 * members send to another server only from these writes; 5 s late, with an interval under
 * 5 s, it took a member beating there for offline, then removed it as silent.
 */
function touchPersistMs(store: PartyStore, options: CoreOptions): number {
  if (options.touchPersistMs !== undefined) return options.touchPersistMs;
  if (store.replicates !== true) return DEFAULT_TOUCH_PERSIST_MS;
  return Math.min(DEFAULT_TOUCH_PERSIST_MS, (heartbeatSeconds(options) * 1000) / 4);
}

/** A conflict (another server committed first, on a shared backend) reloads from it. */
function createCommitter(
  backend: StateBackend,
  options: CoreOptions,
  logger: Logger,
  metrics: ServerMetrics,
  context: () => ServerContext,
): GroupCommitter {
  const { store } = backend;
  return new GroupCommitter(store, logger, {
    touchPersistMs: touchPersistMs(store, options),
    onCommitted: (seconds) => metrics.committed(seconds),
    onConflict: (conflict) => backend.onConflict(conflict, context()),
    now: () => (options.clock ?? systemClock).now(),
  });
}

/** The party engine over what the store loaded, keeping the presence table's members in step. */
function partyEngine(
  loaded: LoadedState,
  committer: GroupCommitter,
  presence: LocalPresence,
  { heartbeatIntervalS, loadedPresence }: { heartbeatIntervalS: number } & CoreOptions,
  logger: Logger,
  clock: Clock,
  metrics: ServerMetrics,
): PartyService {
  const table = new PresenceTable(heartbeatIntervalS * 1000);
  const service = new PartyService(
    loaded.parties,
    committer,
    presence,
    table,
    logger,
    clock.now(),
    metrics,
    loaded.seqs,
    loaded.versions,
    loadedPresence,
  );
  logger.info(`Loaded ${counted(loaded.parties.size, 'party', 'parties')}`);
  return service;
}

async function buildContext(
  backend: StateBackend,
  options: CoreOptions,
  logger: Logger,
  metrics: ServerMetrics,
): Promise<ServerContext> {
  const loaded = await backend.store.load();
  const clock = options.clock ?? systemClock;
  const committer = createCommitter(backend, options, logger, metrics, () => context);
  const heartbeatIntervalS = heartbeatSeconds(options);
  const presence = new LocalPresence();
  const engineOptions = { ...options, heartbeatIntervalS };
  const service = partyEngine(loaded, committer, presence, engineOptions, logger, clock, metrics);
  const quotas = options.quotas ?? DEFAULT_QUOTAS;
  const now = (): number => clock.now();
  const context: ServerContext = {
    service,
    sessions: new SessionRegistry(loaded.owners, committer, () => clock.now()),
    presence,
    committer,
    metrics,
    clock,
    heartbeatIntervalS,
    peerTimeoutS: (options.peerTimeoutMs ?? PEER_TIMEOUT.defaultSeconds * 1000) / 1000,
    quotas: new Quotas(quotas, now, service.parties.values()),
    updates: new UpdateCoalescer(quotas.updateIntervalMs, clock),
    access: buildAccess(loaded, committer, clock, { ...options, backend, logger }),
    relay: options.relay ?? null,
  };
  wireCallbacks(context, backend);
  return context;
}

/**
 * From now on a party that ends keeps its password, invites and bans (forgetParty's
 * `keepRules`): an app's embedded server ending its parties as its host quits.
 */
export function keepRulesOfEndedParties(context: ServerContext): void {
  context.service.onPartyGone = (partyId) => forgetParty(context, partyId, true);
}

/** What the engine calls back into: reads from a shared store, a party gone, a lost telling. */
function wireCallbacks(context: ServerContext, backend: StateBackend): void {
  const { service, committer, clock } = context;
  // Only where another server may hold a party this one lacks: NOT_FOUND is retried after it.
  if (backend.shared) context.refresh = (ids) => backend.refresh(ids, context);
  service.onPartyGone = (partyId) => forgetParty(context, partyId);
  committer.onPresenceRefused = (changes) => service.retell(changes, clock.now());
}

interface Running extends Wiring {
  /** The port's server, and `alsoTls`'s. */
  httpServers: http.Server[];
  wss: WebSocketServer;
  backend: StateBackend;
  stopTimers: () => void;
}

/**
 * Drains: takes no new connection or frame, writes and answers everything already taken,
 * then tells every client to reconnect (1012): to this server once restarted, or to another
 * behind the same address. Clients resume their session, so nobody loses their party.
 */
async function shutdown(running: Running): Promise<Unstored> {
  const { httpServers, wss, connections, context, backend, drain } = running;
  drain.draining = true;
  running.stopTimers();
  context.updates.flushAll();
  const closed = Promise.all(
    httpServers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
  const unstored = await context.committer.close();
  for (const ws of connections.keys()) ws.close(CLOSE_SERVICE_RESTART, 'service restart');
  // Peers that do not answer the close handshake promptly are cut off.
  setTimeout(() => {
    for (const ws of connections.keys()) ws.terminate();
    for (const server of httpServers) server.closeAllConnections();
  }, 500).unref();
  await closed;
  wss.close();
  await backend.close();
  await backend.store.close();
  return unstored;
}

function adminHandler(token: string, context: ServerContext, logger: Logger) {
  const now = (): number => context.clock.now();
  const addressOf = (req: http.IncomingMessage) => clientAddress(req.socket);
  const { metrics } = context;
  return adminApi({ token, moderation: moderation(context), logger, now, metrics, addressOf });
}

/** Health, readiness, metrics, the join page and the operator's API; upgrades are wired after. */
function coreHttpServer(
  options: CoreOptions,
  store: PartyStore,
  exposition: Exposition,
  context: ServerContext,
  shared: { drain: { draining: boolean }; readiness: Readiness; proxies?: ProxyOptions },
  logger: Logger,
): http.Server {
  const { drain, readiness, proxies } = shared;
  return createHttpServer(
    options.tls,
    handshakeTimeouts(options),
    httpHandler(
      {
        draining: () => drain.draining,
        pingStore: () => store.ping(),
        storeRefusing: () => context.committer.storeRefusing,
        readiness,
        ...(options.metricsToken === undefined
          ? {}
          : { metricsAllowed: bearerCheck(options.metricsToken) }),
        exposition: () => exposition.exposition(),
        page: (url, address, target) => joinPage(context, url, address, target),
        ...(options.adminToken === undefined
          ? {}
          : { admin: adminHandler(options.adminToken, context, logger) }),
      },
      (error) => logger.warn(`HTTP: ${error instanceof Error ? error.message : String(error)}`),
    ),
    proxies,
  );
}

/** What the port's listener and `alsoTls`'s share: the drain, the readiness log, the balancers. */
function sharedByListeners(options: CoreOptions, wiring: Wiring, logger: Logger) {
  const timeoutMs = handshakeTimeouts(options).handshakeTimeout;
  return {
    drain: wiring.drain,
    readiness: new ReadinessLog(logger, READY_PATH),
    proxies: proxyOptions(options.trustedProxies, timeoutMs, logger),
  };
}

/** `/metrics`' text, built at most once a second on the server's clock (exposition-cache.ts). */
function cachedExposition(instruments: Exposition | undefined, context: ServerContext) {
  return instruments ? new CachedExposition(instruments, () => context.clock.now()) : NO_EXPOSITION;
}

export async function startServerCore(
  options: CoreOptions,
  deps: CoreDeps,
): Promise<RunningServer> {
  const { backend, logger } = deps;
  const { store } = backend;
  const instruments = deps.metrics?.(() => wiring);
  const metrics = instruments ?? noMetrics;
  const context = await buildContext(backend, options, logger, metrics);
  const exposition = cachedExposition(instruments, context);
  await backend.follow(context);
  const wiring = connectionWiring(context, options, logger, backend.leader);
  const shared = sharedByListeners(options, wiring, logger);
  const serve = (tls: CoreOptions['tls']) =>
    coreHttpServer({ ...options, tls }, store, exposition, context, shared, logger);
  const httpServer = serve(options.tls);
  const tlsServer = options.alsoTls ? serve(options.alsoTls) : null;
  const httpServers = tlsServer ? [httpServer, tlsServer] : [httpServer];
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  for (const server of httpServers) acceptUpgrades(server, wss, wiring);
  const stopTimers = startTimers(options, wiring);

  const host = options.host ?? '127.0.0.1';
  let port: number;
  let tlsPort: number | null = null;
  try {
    port = await listen(httpServer, host, options.port ?? DEFAULT_SERVER_PORT);
    if (tlsServer) tlsPort = await listenOrAnyPort(tlsServer, host, options.alsoTls!.port, logger);
  } catch (error) {
    httpServer.close();
    // Nothing was accepted yet: stop the timers and the writer thread so the process can exit.
    // What the start recorded is written first: a commit scheduled for after the store closed
    // logged "Storage commit failed: The store is closed" under the real reason.
    stopTimers();
    await context.committer.close();
    await backend.close();
    await store.close();
    throw error;
  }

  let closing: Promise<Unstored> | null = null;
  const close = (): Promise<Unstored> =>
    (closing ??= shutdown({ ...wiring, httpServers, wss, backend, stopTimers }));
  return { url: serverUrl(host, port, Boolean(options.tls)), port, tlsPort, context, close };
}
