/**
 * The LANrage control server: an HTTP(S) server upgrading `/ws` to WebSocket, with the
 * party state in memory, persisted through a group-committed store.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES, WS_PATH } from '../shared/protocol';
import { systemClock, type Clock } from './clock';
import { ClientConnection, CloseCode, type ConnectionOptions } from './connection';
import { GroupCommitter } from './group-commit';
import type { ServerContext } from './handlers';
import { consoleLogger, type Logger } from './logger';
import { PartyService, refreshLastSeen } from './party-service';
import { LocalPresence } from './presence';
import { DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rate-limit';
import { SessionRegistry } from './sessions';
import type { PartyStore } from './store';
import { ThreadedSqliteStore } from './threaded-store';

/**
 * What may queue for one client before it counts as not reading: room for a few dozen
 * snapshots of a full (256-peer, ~64 KiB) party.
 */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface ServerOptions {
  host?: string;
  port?: number;
  dataDir: string;
  tls?: { cert: string | Buffer; key: string | Buffer };
  clock?: Clock;
  /** Defaults to the spec's 60 s. */
  sweepIntervalMs?: number;
  /** Defaults to the spec's 5 minutes. */
  peerTimeoutMs?: number;
  /** What `welcome` tells clients; defaults to the spec's 30 s. */
  heartbeatIntervalS?: number;
  pingIntervalMs?: number;
  /** null disables rate limiting (benchmarks). */
  rateLimit?: RateLimitOptions | null;
  maxBufferedBytes?: number;
  logger?: Logger;
  /** Replaces the SQLite store (in-memory tests). */
  store?: PartyStore;
  /** How often heartbeat refreshes of last seen are persisted (default 5 s). */
  touchPersistMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  /** For tests and benchmarks. */
  readonly context: ServerContext;
  /** Closes every connection (1001), flushes and closes the store. */
  close(): Promise<void>;
}

function rejectUpgrade(socket: Duplex, status: string): void {
  socket.on('error', () => {});
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

function buildContext(store: PartyStore, options: ServerOptions, logger: Logger): ServerContext {
  const loaded = store.load();
  const clock = options.clock ?? systemClock;
  const committer = new GroupCommitter(store, logger, { touchPersistMs: options.touchPersistMs });
  const presence = new LocalPresence();
  const parties = refreshLastSeen(loaded.parties, new Date(clock.now()));
  const service = new PartyService(parties, committer, presence, logger);
  logger.info(`Loaded ${loaded.parties.size} parties`);
  return {
    service,
    sessions: new SessionRegistry(loaded.owners, committer, () => clock.now()),
    presence,
    committer,
    clock,
    heartbeatIntervalS: options.heartbeatIntervalS ?? 30,
    peerTimeoutS: (options.peerTimeoutMs ?? 300_000) / 1000,
  };
}

/** The stale sweep, then ownerships left with no party member behind them. */
function sweep(context: ServerContext, peerTimeoutMs: number, logger: Logger): void {
  context.service.sweep(new Date(context.clock.now()), peerTimeoutMs);
  const pruned = context.sessions.prune(context.service.memberIds(), peerTimeoutMs);
  if (pruned > 0) logger.info(`Pruned ${pruned} unused peer ownerships`);
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

interface Wiring {
  context: ServerContext;
  connections: Map<WebSocket, ClientConnection>;
  connOptions: ConnectionOptions;
  logger: Logger;
}

/** Plain HTTP requests get 426: the only thing served here is the WebSocket endpoint. */
function createHttpServer(tls: ServerOptions['tls']): http.Server {
  const httpServer = tls
    ? https.createServer({ cert: tls.cert, key: tls.key })
    : http.createServer();
  httpServer.on('request', (_req, res) => {
    res
      .writeHead(426, { 'Content-Type': 'text/plain' })
      .end(`Connect with WebSocket to ${WS_PATH}\n`);
  });
  return httpServer;
}

function acceptUpgrades(httpServer: http.Server, wss: WebSocketServer, wiring: Wiring): void {
  httpServer.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // Authentication of the upgrade request would go here; sessions start with `hello`.
    if (path !== WS_PATH) return rejectUpgrade(socket, '404 Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => wireConnection(ws, wiring));
  });
}

function wireConnection(
  ws: WebSocket,
  { context, connections, connOptions, logger }: Wiring,
): void {
  const conn = new ClientConnection(ws, context, connOptions, logger);
  connections.set(ws, conn);
  ws.on('error', (error) => logger.warn(`Connection ${conn.id}: ${error.message}`));
  ws.on('pong', () => (conn.isAlive = true));
  ws.on('message', (data) => conn.handleFrame(data));
  ws.on('close', () => {
    connections.delete(ws);
    context.presence.detachAll(conn);
  });
}

/** Cuts off clients that did not answer the previous ping, pings the others. */
function pingAll(connections: ReadonlyMap<WebSocket, ClientConnection>): void {
  for (const [ws, conn] of connections) {
    if (!conn.isAlive) {
      ws.terminate();
      continue;
    }
    conn.isAlive = false;
    ws.ping();
  }
}

/** Starts the keepalive pinger and the stale sweeper; returns what stops both. */
function startTimers(options: ServerOptions, wiring: Wiring): () => void {
  const pinger = setInterval(() => pingAll(wiring.connections), options.pingIntervalMs ?? 30_000);
  const peerTimeoutMs = options.peerTimeoutMs ?? 300_000;
  const sweeper = setInterval(
    () => sweep(wiring.context, peerTimeoutMs, wiring.logger),
    options.sweepIntervalMs ?? 60_000,
  );
  return () => {
    clearInterval(pinger);
    clearInterval(sweeper);
  };
}

function serverUrl(host: string, port: number, secure: boolean): string {
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return `${secure ? 'wss' : 'ws'}://${urlHost}:${port}${WS_PATH}`;
}

interface Running extends Wiring {
  httpServer: http.Server;
  wss: WebSocketServer;
  store: PartyStore;
  stopTimers: () => void;
}

async function shutdown(running: Running): Promise<void> {
  const { httpServer, wss, connections, context, store } = running;
  running.stopTimers();
  for (const ws of connections.keys()) ws.close(CloseCode.GOING_AWAY, 'server shutting down');
  await new Promise<void>((resolve) => {
    httpServer.close(() => resolve());
    // Peers that do not answer the close handshake promptly are cut off.
    setTimeout(() => {
      for (const ws of connections.keys()) ws.terminate();
      httpServer.closeAllConnections();
    }, 500).unref();
  });
  wss.close();
  await context.committer.close();
  await store.close();
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? consoleLogger;
  const store = options.store ?? (await ThreadedSqliteStore.open(options.dataDir, logger));
  const context = buildContext(store, options, logger);
  const httpServer = createHttpServer(options.tls);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const connOptions: ConnectionOptions = {
    maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    rateLimit: options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit,
  };
  const wiring: Wiring = { context, connections: new Map(), connOptions, logger };
  acceptUpgrades(httpServer, wss, wiring);
  const stopTimers = startTimers(options, wiring);

  const host = options.host ?? '127.0.0.1';
  let port: number;
  try {
    port = await listen(httpServer, host, options.port ?? 8667);
  } catch (error) {
    // Nothing was accepted yet: stop the timers and the writer thread so the process can exit.
    stopTimers();
    await store.close();
    throw error;
  }

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= shutdown({ ...wiring, httpServer, wss, store, stopTimers }));
  return { url: serverUrl(host, port, Boolean(options.tls)), port, context, close };
}
