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
import type { IpcLogger } from '../core/app-service/ipc-registry';
import { createIpcBridge, IPC_WS_PATH } from './ipc-bridge';
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
  log?: IpcLogger;
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

export async function startHeadless(options: HeadlessOptions): Promise<HeadlessHandle> {
  const root = checkRendererDir(options.rendererDir);
  const [service, owned] = await obtainService(options);
  const token = randomBytes(24).toString('base64url');
  const serveStatic = createStaticHandler(root);
  let origin = '';
  const host = (): string => origin.slice('http://'.length);
  const bridge = createIpcBridge({ service, token, origin: () => origin, log: options.log });

  const server = createServer((req, res) => {
    // A page on another name resolving to 127.0.0.1 (DNS rebinding) gets nothing.
    if (req.headers.host !== host()) return sendText(res, 403, 'Forbidden');
    serveStatic(req, res).catch(() => sendText(res, 500, 'Internal error'));
  });
  server.on('upgrade', (req, socket, head) => bridge.handleUpgrade(req, socket, head));
  server.on('clientError', (_err, socket) => socket.destroy());

  try {
    await listen(server, options.port);
  } catch (err) {
    if (owned) await service.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  origin = `http://${HEADLESS_HOST}:${port}`;

  const close = closeOnce(async () => {
    await bridge.close();
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
    if (owned) await service.close();
  });
  return {
    url: `${origin}/?token=${token}`,
    wsUrl: `ws://${HEADLESS_HOST}:${port}${IPC_WS_PATH}?token=${token}`,
    token,
    port,
    service,
    close,
  };
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, HEADLESS_HOST, () => {
      server.off('error', fail);
      done();
    });
  });
}
