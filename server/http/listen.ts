/** The HTTP(S) side of the server: creating it, listening, refusing an upgrade, its URL. */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WS_PATH } from '../../shared/protocol';

export function rejectUpgrade(socket: Duplex, status: string): void {
  socket.on('error', () => {});
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

export function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Plain HTTP: health, readiness and metrics (server/http/health.ts); the rest gets 426. */
export function createHttpServer(
  tls: { cert: string | Buffer; key: string | Buffer } | undefined,
  timeouts: http.ServerOptions,
  onRequest: http.RequestListener,
): http.Server {
  const httpServer = tls
    ? https.createServer({ ...timeouts, cert: tls.cert, key: tls.key })
    : http.createServer(timeouts);
  httpServer.on('request', onRequest);
  return httpServer;
}

export function serverUrl(host: string, port: number, secure: boolean): string {
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return `${secure ? 'wss' : 'ws'}://${urlHost}:${port}${WS_PATH}`;
}
