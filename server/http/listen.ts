/** The HTTP(S) side of the server: creating it, listening, refusing an upgrade, its URL. */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../shared/logger';
import { WS_PATH } from '../../shared/protocol/protocol';
import { takeProxyHeaders, type ProxyOptions } from './client-address';

export function rejectUpgrade(socket: Duplex, status: string): void {
  socket.on('error', () => {});
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/** What the host can do about a listen error; node's code alone ("ENOTFOUND") said nothing. */
const LISTEN_HINTS: Record<string, string> = {
  EADDRINUSE: 'another program (another server?) has that port: stop it or pick another --port',
  EACCES: 'ports below 1024 need privileges this user lacks: pick another --port',
  ENOTFOUND: '--host must be an address of this machine (0.0.0.0: every interface)',
  EAI_AGAIN: '--host must be an address of this machine (0.0.0.0: every interface)',
  EADDRNOTAVAIL: '--host must be an address of this machine (0.0.0.0: every interface)',
};

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const hint = LISTEN_HINTS[error.code ?? ''];
  const said = `Cannot listen on ${host} port ${port}: ${error.message}`;
  // The code stays: the app's embedded server moves to another port on EADDRINUSE.
  const plain = new Error(hint ? `${said} (${hint})` : said, { cause: error });
  return Object.assign(plain, { code: error.code });
}

export function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException): void => reject(listenError(error, host, port));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** `port`, or any free one when it is taken (said in the log). */
export async function listenOrAnyPort(
  server: http.Server,
  host: string,
  port: number,
  logger: Logger,
): Promise<number> {
  try {
    return await listen(server, host, port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    logger.warn(`Port ${port} is taken; TLS is served on a free port`);
    return listen(server, host, 0);
  }
}

/**
 * Plain HTTP: health, readiness and metrics (server/http/health.ts); the rest gets 426.
 * `proxies`: the trusted balancers whose connections start with a PROXY header.
 */
export function createHttpServer(
  tls: { cert: string | Buffer; key: string | Buffer } | undefined,
  timeouts: http.ServerOptions,
  onRequest: http.RequestListener,
  proxies?: ProxyOptions,
): http.Server {
  const httpServer = tls
    ? https.createServer({ ...timeouts, cert: tls.cert, key: tls.key })
    : http.createServer(timeouts);
  httpServer.on('request', onRequest);
  if (proxies) takeProxyHeaders(httpServer, proxies);
  return httpServer;
}

export function serverUrl(host: string, port: number, secure: boolean): string {
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return `${secure ? 'wss' : 'ws'}://${urlHost}:${port}${WS_PATH}`;
}
