/**
 * The app when its control server cannot be reached: after falling back to local mode, a join
 * is answered "unreachable", not "unknown party".
 */
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { silentLogger } from '../../../shared/logger';
import { Config } from '../config/config';
import { loadOrCreateIdentity } from '../identity/identity';
import { RemoteControlPlane } from '../remote/control-plane';
import { createAppService } from './app-service';
import { dispatch } from './ipc-registry';
import { localAppHarness, until } from '../test-util/local-app-harness';

const { temp, open } = localAppHarness();

describe('app service without its control server', () => {
  it('answers unreachable, not "unknown party", once it fell back to local mode', async () => {
    const config = Config.load({
      home: temp.dir,
      env: { LANRAGE_PEER_NAME: 'Carol', LANRAGE_CONTROL_SERVER: 'ws://127.0.0.1:9' },
    });
    const service = await createAppService({
      config,
      identity: await loadOrCreateIdentity(config.keysDir),
      createControlPlane: (c) =>
        new RemoteControlPlane(c, {
          logger: silentLogger,
          maxReconnectAttempts: 1,
          reconnectDelayMs: 10,
          connectTimeoutMs: 200,
        }),
      logger: silentLogger,
    });
    open.push(service);
    await until(() => service.snapshot().status.state === 'offline', 'offline fallback');
    const result = await dispatch(
      service.handlers,
      'joinParty',
      { invite: 'party_abc123' },
      silentLogger,
    );
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'unreachable',
        message:
          "Can't reach 127.0.0.1:9: check your connection, or the server address in Settings.",
      },
    });
  });

  // A server of the seed's protocol (1.0): hello is unknown to it, and it says so.
  it('a 1.0 server: creating a party says it speaks an older protocol, not "never reached"', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    const unknown = JSON.stringify({ type: 'error', message: 'Unknown message type: hello' });
    wss.on('connection', (ws) => ws.on('message', () => ws.send(unknown)));
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const config = Config.load({
      home: temp.dir,
      env: { LANRAGE_PEER_NAME: 'Carol', LANRAGE_CONTROL_SERVER: url },
    });
    const service = await createAppService({
      config,
      identity: await loadOrCreateIdentity(config.keysDir),
      createControlPlane: (c) =>
        new RemoteControlPlane(c, { logger: silentLogger, maxReconnectAttempts: 1 }),
      logger: silentLogger,
    });
    open.push(service);
    try {
      expect(service.snapshot().status.olderServer).toBe(true);
      const result = await dispatch(service.handlers, 'createParty', { name: 'x' }, silentLogger);
      expect(result).toMatchObject({ ok: false, error: { code: 'unreachable' } });
      const { message } = (result as { error: { message: string } }).error;
      expect(message).toMatch(
        /^127\.0\.0\.1:\d+ answered, but speaks an older LANrage protocol than this app needs, so the party could not be made there\./,
      );
    } finally {
      await new Promise((resolve) => wss.close(resolve));
    }
  });
});
