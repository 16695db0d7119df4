/**
 * The plain-HTTP side of the server's port: probes for orchestrators and load balancers,
 * and metrics for Prometheus. `/healthz`: the process is alive and serving HTTP.
 * `/readyz`: it should get traffic: not draining, and its store answers. `/metrics`: the
 * Prometheus text exposition (only to a bearer of `--metrics-token-file`'s secret when it is
 * set); `/admin/…` the operator's API when it is on (server/admin/). Anything else gets 426:
 * the port is for WebSocket on `/ws`.
 * Only the operator's API names a party (never a peer's address, key or session); metrics
 * are aggregate counts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_PREFIX } from '../../shared/protocol/admin';
import { addressKey } from '../admission/admission';
import { WS_PATH } from '../../shared/protocol/protocol';
import { requestTarget } from '../../shared/node/request-target';
import { clientAddress } from './client-address';
import type { Readiness } from './ready-log';

export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';
export const METRICS_PATH = '/metrics';

/** `status`: 400 for a link the page refuses; 200 without. */
export type PageAnswer =
  { headers: Record<string, string>; body: string; status?: number } | { retryAfterS: number };

export interface HttpSources {
  /** True once the server is shutting down: not ready, though still alive. */
  draining(): boolean;
  /** Resolves when the store can take a commit. */
  pingStore(): Promise<void>;
  /** Why the store's last commits failed (a full disk, say), or null. */
  storeRefusing?(): string | null;
  exposition(): Promise<{ contentType: string; body: string }>;
  /** With `--metrics-token-file`: whether `Authorization` may read `/metrics`. */
  metricsAllowed?(authorization: string | undefined): boolean;
  /**
   * A page for a browser (the `/join/…` invite page), or null when `url` names none;
   * `retryAfterS` when `address` (an addressKey) asked for too many. `target`: the request
   * target as sent (in `//join/x`, URL reads `join` as a host).
   */
  page?(url: URL, address: string, target: string): PageAnswer | null;
  /** The operator's API (`/admin/…`, server/admin/); absent, those paths are unknown ones. */
  admin?(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** Hears why `/readyz` answered 503 (for the log: ready-log.ts), and when it is 200 again. */
  readiness?: Readiness;
}

function reply(res: ServerResponse, status: number, body: string, type = 'text/plain'): void {
  res.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** The reason stays in the server's log; the probe only needs to know it is not ready. */
async function ready(sources: HttpSources, res: ServerResponse): Promise<void> {
  if (sources.draining()) return reply(res, 503, 'draining\n');
  try {
    await sources.pingStore();
  } catch (error) {
    reply(res, 503, 'store unreachable\n');
    return sources.readiness?.notReady('the store does not answer', String(error));
  }
  // It answers, yet takes no change: every join would be answered unavailable here.
  const refusing = sources.storeRefusing?.() ?? null;
  if (refusing !== null) {
    reply(res, 503, 'store refuses changes\n');
    return sources.readiness?.notReady('the store refuses changes', refusing);
  }
  reply(res, 200, 'ready\n');
  sources.readiness?.ready();
}

const isAdminPath = (path: string): boolean =>
  path === ADMIN_PREFIX.slice(0, -1) || path.startsWith(ADMIN_PREFIX);

async function route(sources: HttpSources, req: IncomingMessage, res: ServerResponse) {
  const url = requestTarget(req.url);
  if (!url) return reply(res, 400, 'bad request target\n');
  const path = url.pathname;
  if (sources.admin && isAdminPath(path)) return sources.admin(req, res, url);
  const known = path === HEALTH_PATH || path === READY_PATH || path === METRICS_PATH;
  const address = addressKey(clientAddress(req.socket));
  const page = known ? null : (sources.page?.(url, address, req.url ?? '/') ?? null);
  if (!known && !page) return reply(res, 426, `Connect with WebSocket to ${WS_PATH}\n`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return reply(res, 405, 'method not allowed\n');
  }
  if (page && 'retryAfterS' in page) {
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(page.retryAfterS))));
    return reply(res, 429, 'too many pages asked for from your address; try again later\n');
  }
  if (page) {
    for (const [name, value] of Object.entries(page.headers)) res.setHeader(name, value);
    return reply(res, page.status ?? 200, page.body, 'text/html');
  }
  if (path === HEALTH_PATH) return reply(res, 200, 'ok\n');
  if (path === READY_PATH) return ready(sources, res);
  if (sources.metricsAllowed && !sources.metricsAllowed(req.headers.authorization)) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    return reply(res, 401, 'metrics need the bearer token of --metrics-token-file\n');
  }
  const { contentType, body } = await sources.exposition();
  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * How long a socket whose request body went unread is kept after the answer, reading nothing,
 * before it is cut: time for the client to read the answer. Cut at once, a client still sending
 * had its next write fail, and its socket torn down before it read the answer.
 */
export const UNREAD_BODY_LINGER_MS = 1000;

/** Whether the request says a body follows (chunked, or a length above 0). */
function sendsBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * No path here reads a body, and Node reads an unread one to its end after the answer, to keep
 * the socket for a next request: 50 MB of chunks to `/admin/…`, with no token, were read. Once
 * the answer is out, such a socket stops reading (the client's sends stall once the kernel's
 * buffers are full), says it is done, and is cut UNREAD_BODY_LINGER_MS later.
 */
function dropUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  if (!sendsBody(req)) return;
  res.once('finish', () => {
    if (req.complete) return;
    const socket = req.socket;
    socket.end();
    // After Node's own resume of the body it drains (it runs on the next tick).
    setImmediate(() => socket.pause());
    const cut = setTimeout(() => socket.destroy(), UNREAD_BODY_LINGER_MS);
    cut.unref();
    socket.once('close', () => clearTimeout(cut));
  });
}

/** The `request` listener; `onError` hears failures (a store that is not ready, a bug). */
export function httpHandler(
  sources: HttpSources,
  onError: (error: unknown) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    dropUnreadBody(req, res);
    route(sources, req, res).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) reply(res, 500, 'internal error\n');
      else res.end();
    });
  };
}
