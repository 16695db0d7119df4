/**
 * Accepting connections: which upgrade requests become WebSocket connections (the path, the
 * admission limits), and what each connection's frames and close are wired to.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';
import { WS_PATH } from '../../shared/protocol/protocol';
import { requestTarget } from '../../shared/node/request-target';
import type { Logger } from '../../shared/logger';
import { tellHostsAway } from '../access/door';
import { addressKey, type Admission } from '../admission/admission';
import { connectionOptions, createAdmission } from '../admission/limits';
import { clientAddress } from '../http/client-address';
import { rejectUpgrade } from '../http/listen';
import type { CoreOptions } from '../server-core';
import type { TimerWiring } from '../server-timers';
import type { LeaderLock } from '../state/leader-lock';
import { ClientConnection, type ConnectionOptions } from './connection';
import type { ServerContext } from './handlers';
import { Keepalive } from './keepalive';
import { throttledWarnings } from './socket-error-log';

export interface Wiring extends TimerWiring {
  admission: Admission;
  connections: Map<WebSocket, ClientConnection>;
  connOptions: ConnectionOptions;
  /** Set when shutdown starts: frames are no longer handled, /readyz says 503. */
  drain: { draining: boolean };
  /** What connections log about their own client (throttled: any client can make them). */
  clientLogger: Logger;
}

export function acceptUpgrades(
  httpServer: http.Server,
  wss: WebSocketServer,
  wiring: Wiring,
): void {
  httpServer.on('upgrade', (req, socket, head) => {
    // Whatever one request does, it must not throw out of this listener: that ends the
    // process (and with it every party on this server, or the app hosting them).
    try {
      const target = requestTarget(req.url);
      if (!target) return rejectUpgrade(socket, '400 Bad Request');
      // Authentication of the upgrade request would go here; sessions start with `hello`.
      if (target.pathname !== WS_PATH) return rejectUpgrade(socket, '404 Not Found');
      const refused = wiring.admission.refusal(req.socket);
      if (refused) {
        wiring.logger.debug(`Upgrade from ${clientAddress(req.socket)} refused: ${refused}`);
        return rejectUpgrade(socket, refused);
      }
      wss.handleUpgrade(req, socket, head, (ws) =>
        wireConnection(ws, addressKey(clientAddress(req.socket)), wiring),
      );
    } catch (error) {
      wiring.logger.warn(`Upgrade request failed: ${String(error)}`);
      socket.destroy();
    }
  });
  httpServer.on('connection', (socket: Socket) => wiring.admission.track(socket));
}

function wireConnection(
  ws: WebSocket,
  address: string,
  { context, connections, connOptions, clientLogger, drain, keepalive }: Wiring,
): void {
  const conn = new ClientConnection(ws, context, connOptions, clientLogger, address);
  connections.set(ws, conn);
  keepalive.opened(ws, conn);
  clientLogger.debug(`Connection ${conn.id} from ${address} opened`);
  ws.on('error', (error) =>
    clientLogger.warn(`Connection ${conn.id} (${address}): ${error.message}`),
  );
  const heard = (): void => void (conn.heardAt = context.clock.now());
  ws.on('pong', () => {
    conn.isAlive = true;
    heard();
  });
  ws.on('ping', heard);
  ws.on('message', (data, isBinary) => {
    heard();
    if (!drain.draining) conn.handleFrame(data, isBinary);
  });
  ws.on('close', (code) => {
    conn.dispose();
    // Its session is forgotten now if it came to own nothing (sessions.ts).
    context.sessions.release(conn.token);
    connections.delete(ws);
    keepalive.closed(ws, conn);
    const lost = context.presence.detachAll(conn);
    clientLogger.debug(
      `Connection ${conn.id} (${address}) closed, code ${code}: ${lost.length} peers detached`,
    );
    const now = context.clock.now();
    context.service.disconnected(lost, now);
    tellHostsAway(context, context.access.approvals.markGone(lost, now));
  });
}

/** What every connection is wired to (before any is accepted). */
export function connectionWiring(
  context: ServerContext,
  options: CoreOptions,
  logger: Logger,
  leader: LeaderLock,
): Wiring {
  const connections = new Map<WebSocket, ClientConnection>();
  const admission = createAdmission(options, logger, () => connections.size);
  const connOptions: ConnectionOptions = {
    ...connectionOptions(options),
    onNotReading: (address) => admission.cutForNotReading(address),
  };
  return {
    context,
    admission,
    connections,
    connOptions,
    logger,
    leader,
    drain: { draining: false },
    clientLogger: throttledWarnings(logger),
    keepalive: new Keepalive(context.clock, connections, options.pingIntervalMs ?? 30_000),
  };
}
