/**
 * The operator's API on the server's own listener (so over TLS when the server has it):
 * `GET /admin/parties` and `POST /admin/parties/<party_id>/end`, each with
 * `Authorization: Bearer <secret>`. Without `--admin-token-file` nothing here is wired and
 * `/admin/…` is answered as any unknown path (server/http/health.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ADMIN_END_PATH,
  ADMIN_PARTIES_PATH,
  AdminErrorCode,
  type AdminEnded,
} from '../../shared/protocol/admin';
import { PartyIdSchema } from '../../shared/values/ids';
import type { Logger } from '../../shared/logger';
import { LineThrottle } from '../log-throttle';
import type { ServerMetrics } from '../metrics/metrics-api';
import { AdminGate, FREE_FAILURES, type AdminVerdict } from './admin-gate';
import type { Moderation } from './moderation';

export interface AdminApiOptions {
  token: string;
  moderation: Moderation;
  logger: Logger;
  now: () => number;
  metrics: Pick<ServerMetrics, 'adminRefused'>;
  /** The client's address, which the throttle counts and the log names. */
  addressOf: (req: IncomingMessage) => string | undefined;
}

/** Refusals are said at most this often, each line with how many came since. */
export const ADMIN_REFUSAL_LOG_MS = 10_000;

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

function json(res: ServerResponse, status: number, value: unknown, headers = {}): void {
  const body = `${JSON.stringify(value)}\n`;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

const fail = (res: ServerResponse, status: number, error: AdminErrorCode, headers = {}): void =>
  json(res, status, { error }, headers);

function methodNotAllowed(res: ServerResponse, allow: string): void {
  fail(res, 405, AdminErrorCode.METHOD_NOT_ALLOWED, { Allow: allow });
}

/** The id in the path, canonical, or null when it cannot name a party. */
function partyIdIn(encoded: string): string | null {
  let text: string;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    return null;
  }
  const parsed = PartyIdSchema.safeParse(text);
  return parsed.success ? parsed.data : null;
}

async function endParty(
  options: AdminApiOptions,
  req: IncomingMessage,
  res: ServerResponse,
  encodedId: string,
): Promise<void> {
  if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
  const partyId = partyIdIn(encodedId);
  let ended: boolean;
  try {
    ended = partyId !== null && (await options.moderation.end(partyId));
  } catch (error) {
    fail(res, 503, AdminErrorCode.UNAVAILABLE);
    throw error;
  }
  if (!ended || partyId === null) return fail(res, 404, AdminErrorCode.NOT_FOUND);
  const address = options.addressOf(req) ?? 'unknown';
  options.logger.info(`Admin: party ${partyId} ended by the operator at ${address}`);
  const answer: AdminEnded = { party_id: partyId, ended: true };
  json(res, 200, answer);
}

type Refused = Extract<AdminVerdict, { admitted: false }>;

/**
 * Refused tries in the log and the metrics: none was, so a stranger's guessing and an
 * operator locked out left no trace. Lines are throttled (anyone reaching the port makes
 * them), one kind apart from the other so that a lock-out is not hidden behind wrong tokens.
 */
function refusalLog({ logger, metrics, now }: AdminApiOptions) {
  const wrong = new LineThrottle(ADMIN_REFUSAL_LOG_MS, now);
  const locked = new LineThrottle(ADMIN_REFUSAL_LOG_MS, now);
  return (verdict: Refused, address: string, hadToken: boolean): void => {
    const limited = verdict.waitSeconds > 0;
    metrics.adminRefused(limited ? 'rate_limited' : 'unauthorized');
    const held = (limited ? locked : wrong).take();
    if (held === null) return;
    const since = held > 0 ? `; ${held} more since the last such line` : '';
    logger.warn(
      limited
        ? `Admin API: ${address} refused (429) for ${verdict.waitSeconds} s, after ` +
            `${FREE_FAILURES} wrong tokens${since}`
        : `Admin API: ${hadToken ? 'a wrong' : 'no'} token from ${address} (401)${since}`,
    );
  };
}

/** The request listener's part for `/admin/…`. */
export function adminApi(options: AdminApiOptions): Handler {
  const gate = new AdminGate(options.token, options.now);
  const noteRefusal = refusalLog(options);
  return async (req, res, url) => {
    const address = options.addressOf(req);
    const authorization = req.headers.authorization;
    const verdict = gate.check(authorization, address);
    if (!verdict.admitted) {
      noteRefusal(verdict, address ?? 'unknown', authorization !== undefined);
      const wait = verdict.waitSeconds;
      if (wait > 0) {
        return fail(res, 429, AdminErrorCode.RATE_LIMITED, { 'Retry-After': String(wait) });
      }
      // The same answer for no token and a wrong one.
      return fail(res, 401, AdminErrorCode.UNAUTHORIZED, { 'WWW-Authenticate': 'Bearer' });
    }
    const path = url.pathname;
    if (path === ADMIN_PARTIES_PATH) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      return json(res, 200, options.moderation.parties());
    }
    const end = ADMIN_END_PATH.exec(path);
    if (end) return endParty(options, req, res, end[1]!);
    fail(res, 404, AdminErrorCode.NOT_FOUND);
  };
}
