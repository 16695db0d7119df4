/**
 * Headless mode: the app service and the IPC contract in plain Node, the built renderer
 * served on 127.0.0.1, the contract carried over a token-guarded same-origin WebSocket.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { AppService } from '../core/app-service/types';
import type { Logger } from '../../shared/logger';
import { createIpcBridge, IPC_WS_PATH, refuse, type IpcBridge } from './ipc-bridge';
import { createStaticHandler, sendText } from './static-files';

export const HEADLESS_HOST = '127.0.0.1';

export interface HeadlessOptions {
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Serves this service instead of creating one; it is then not closed by `close()`. */
  service?: AppService;
  /** Creates the service when none is given (the CLI passes createAppService). */
  createService?: () => Promise<AppService>;
  /** The bridge's lines (the CLI's consoleLogger, which the service it creates shares). */
  logger: Logger;
}

export interface HeadlessHandle {
  /** The page to open: `http://127.0.0.1:PORT/?token=TOKEN`. */
  url: string;
  /** The bridge's address: `ws://127.0.0.1:PORT/ipc?token=TOKEN`. */
  wsUrl: string;
  token: string;
  port: number;
  service: AppService;
  close(): Promise<void>;
}

function checkRendererDir(dir: string): string {
  const absolute = resolve(dir);
  if (!existsSync(join(absolute, 'index.html'))) {
    throw new Error(
      `No built renderer in ${absolute} (index.html missing): run \`npx electron-vite build\` first.`,
    );
  }
  return realpathSync(absolute);
}

async function obtainService(options: HeadlessOptions): Promise<[AppService, boolean]> {
  if (options.service) return [options.service, false];
  if (!options.createService) throw new Error('startHeadless needs a service or createService');
  return [await options.createService(), true];
}

/** Runs `stop` on the first call; every call gets the same promise. */
function closeOnce(stop: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => (closing ??= stop());
}

/**
 * Listens first, then starts the app: a port already taken (a second `npm run headless` on
 * the default port) is refused before a second app core loads this home's state, connects
 * as this identity and saves over the running one's files as it gives up.
 */
export async function startHeadless(options: HeadlessOptions): Promise<HeadlessHandle> {
  const root = checkRendererDir(options.rendererDir);
  const token = randomBytes(24).toString('base64url');
  const serveStatic = createStaticHandler(root);
  let origin = '';
  let bridge: IpcBridge | null = null;
  const host = (): string => origin.slice('http://'.length);
  const server = createServer((req, res) => {
    // A page on another name resolving to 127.0.0.1 (DNS rebinding) gets nothing.
    if (req.headers.host !== host()) return sendText(res, 403, 'Forbidden');
    serveStatic(req, res).catch(() => sendText(res, 500, 'Internal error'));
  });
  server.on('upgrade', (req, socket, head) => {
    // Pages' DNS-rebinding guard, for the bridge too: before its Origin and token checks.
    if (req.headers.host !== host()) return refuse(socket, 403, 'Forbidden');
    // Before the app is up nobody has the token yet: an early upgrade is dropped.
    if (bridge) bridge.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await listen(server, options.port);
  const port = (server.address() as AddressInfo).port;
  origin = `http://${HEADLESS_HOST}:${port}`;
  const stopServer = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  };
  const [service, owned] = await obtainService(options).catch(async (err: unknown) => {
    await stopServer();
    throw err;
  });
  const ready = createIpcBridge({ service, token, origin: () => origin, logger: options.logger });
  bridge = ready;
  const close = closeOnce(async () => {
    await ready.close();
    await stopServer();
    if (owned) await service.close();
  });
  const wsUrl = `ws://${HEADLESS_HOST}:${port}${IPC_WS_PATH}?token=${token}`;
  return { url: `${origin}/?token=${token}`, wsUrl, token, port, service, close };
}

/** A port in use is said in a gamer's words, with what to do (the raw error is its cause). */
function listenError(err: Error, port: number): Error {
  if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') return err;
  return new Error(
    `Port ${port} on ${HEADLESS_HOST} is already in use (is LANrage headless running ` +
      'already?): open the link it printed, or choose another port with --port (0: any free one).',
    { cause: err },
  );
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<void> {
  return new Promise((done, fail) => {
    const failed = (err: Error): void => fail(listenError(err, port));
    server.once('error', failed);
    server.listen(port, HEADLESS_HOST, () => {
      server.off('error', failed);
      done();
    });
  });
}
