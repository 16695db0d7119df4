/**
 * The IPC contract over a WebSocket, for the headless mode. Frames are JSON:
 * page → `{id, channel, request}`; server → `{id, result}` answers and `{event}` pushes,
 * the first push on every connection being a snapshot of the whole state.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { IpcErrorCode } from '../../shared/ipc/contract';
import { parseJsonFrame } from '../../shared/protocol/json-depth';
import type { StateEvent } from '../../shared/ipc/app-state';
import { MAX_FRAME_BYTES } from '../../shared/protocol/protocol';
import type { AppService } from '../core/app-service/types';
import { dispatch, ipcFailure } from '../core/app-service/ipc-registry';
import { withDetail, type Logger } from '../../shared/logger';
import { STALE_PAGE_CLOSE } from '../../shared/ipc/contract';
import { requestTarget } from '../../shared/node/request-target';

export const IPC_WS_PATH = '/ipc';

const RequestFrameSchema = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(64),
  request: z.unknown(),
});

export interface IpcBridgeOptions {
  service: AppService;
  token: string;
  /** The only page origin allowed to connect, e.g. `http://127.0.0.1:8666`. */
  origin: () => string;
  logger: Logger;
}

export interface IpcBridge {
  /** Handles an HTTP upgrade: accepts it, or answers 403/404 and destroys the socket. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
export function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Answers an upgrade with a plain HTTP refusal, and drops the socket. */
export function refuse(socket: Duplex, status: 403 | 404, text: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${text.length}\r\n\r\n${text}`,
  );
  socket.destroy();
}

export function createIpcBridge(options: IpcBridgeOptions): IpcBridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  wss.on('connection', (ws) => serveConnection(ws, options.service, options.logger));

  return {
    handleUpgrade(req, socket, head) {
      const url = requestTarget(req.url);
      if (url?.pathname !== IPC_WS_PATH) return refuse(socket, 404, 'Not Found');
      if (req.headers.origin !== options.origin()) return refuse(socket, 403, 'Forbidden');
      if (!tokenMatches(url.searchParams.get('token'), options.token)) {
        // This page, on the right origin, is from an earlier launch (or lost its token): it
        // is told so once, and nothing else, instead of a 403 its WebSocket cannot read.
        return wss.handleUpgrade(req, socket, head, (ws) =>
          ws.close(STALE_PAGE_CLOSE, 'This page is from an earlier launch'),
        );
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      for (const client of wss.clients) client.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

function send(ws: WebSocket, frame: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
}

function serveConnection(ws: WebSocket, service: AppService, logger: Logger): void {
  // Subscribe and snapshot in the same tick: no event can slip between them.
  const unsubscribe = service.onStateEvent((event: StateEvent) => send(ws, { event }));
  send(ws, { event: { type: 'snapshot', state: service.snapshot() } });
  ws.on('close', unsubscribe);
  // The page's socket failed (the page went away mid-frame): the page's loss, not a fault.
  ws.on('error', (err) => logger.warn(withDetail('IPC bridge socket error', err)));
  ws.on('message', (data, isBinary) => {
    // A frame that makes the handling fail is logged; it never ends the process.
    answer(ws, service, data, isBinary, logger).catch((err: unknown) =>
      logger.error(withDetail('IPC frame failed', err, true)),
    );
  });
}

async function answer(
  ws: WebSocket,
  service: AppService,
  data: RawData,
  isBinary: boolean,
  logger: Logger,
): Promise<void> {
  const frame = parseFrame(data, isBinary);
  if (frame === null) {
    ws.close(1008, 'Malformed frame');
    return;
  }
  if ('badId' in frame) {
    send(ws, { id: frame.badId, result: ipcFailure(IpcErrorCode.BAD_REQUEST, frame.message) });
    return;
  }
  const result = await dispatch(service.handlers, frame.channel, frame.request, logger);
  send(ws, { id: frame.id, result });
}

type ParsedFrame = z.infer<typeof RequestFrameSchema> | { badId: number; message: string } | null;

/** A request frame; a frame with a usable id but a bad shape is answered, not dropped. */
function parseFrame(data: RawData, isBinary: boolean): ParsedFrame {
  if (isBinary) return null;
  // Depth first: the request schemas recurse, and a deep frame would overflow the stack.
  const frame = parseJsonFrame(rawToString(data));
  if (!frame.ok) return null;
  const json = frame.value;
  const parsed = RequestFrameSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const id = (json as { id?: unknown } | null)?.id;
  if (typeof id === 'number' && Number.isInteger(id) && id >= 0) {
    return { badId: id, message: 'Malformed request: expected {id, channel, request}.' };
  }
  return null;
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
