import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPartyStore } from '../store/test-util/memory-store';
import { TestRig, delay, httpGet as get, peerDict } from '../test-util/support';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { httpHandler, type HttpSources } from './health';

describe('health endpoints on the server port', () => {
  const rig = new TestRig();
  afterEach(() => rig.cleanup());

  it('/healthz answers 200 while the WebSocket endpoint keeps working', async () => {
    const server = await rig.start();
    expect(await get(server.port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    const c = await rig.connect();
    expect(await c.hello()).toMatch(/\S{16,}/);
  });

  it('/readyz follows the store: 503 while it is unreachable, 200 again once it is back', async () => {
    const store = new MemoryPartyStore();
    const logger = new MemoryLogger();
    const server = await rig.start({ store, logger });
    expect((await get(server.port, '/readyz')).status).toBe(200);
    store.unreachable = new Error('disk gone');
    const down = await get(server.port, '/readyz');
    expect(down).toMatchObject({ status: 503, body: 'store unreachable\n' });
    // The reason is the operator's (log), not the prober's.
    expect(down.body).not.toMatch(/disk gone/);
    expect(logger.messages('warn')).toContain(
      '/readyz answered 503: the store does not answer (Error: disk gone)',
    );
    expect((await get(server.port, '/healthz')).status).toBe(200);
    store.unreachable = null;
    expect((await get(server.port, '/readyz')).status).toBe(200);
  });

  it('/readyz is 503 while the store refuses commits (a full disk), 200 once they work', async () => {
    const store = new MemoryPartyStore();
    const logger = new MemoryLogger();
    const server = await rig.start({ store, logger });
    const commit = store.commit.bind(store);
    store.commit = () => {
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    const host = await rig.connect();
    await host.hello();
    const made = await host.request({
      type: 'register_party',
      party_id: 'p',
      name: 'P',
      host_peer_id: 'h',
      peer: peerDict('h'),
    });
    expect(made).toMatchObject({ type: 'error', code: 'unavailable' });
    expect(await get(server.port, '/readyz')).toMatchObject({
      status: 503,
      body: 'store refuses changes\n',
    });
    expect(logger.messages('warn')).toContain(
      '/readyz answered 503: the store refuses changes (Error: SQLITE_FULL: database or disk is full)',
    );
    store.commit = commit;
    // The held change is retried each second; once it is written the server is ready again.
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      await delay(100);
      status = (await get(server.port, '/readyz')).status;
    }
    expect(status).toBe(200);
  });

  // Anyone who can reach the port can ask: 300 requests during an outage wrote 303 lines.
  it('/readyz: 300 503s in a row make one log line, and being ready again one more', async () => {
    const store = new MemoryPartyStore();
    const logger = new MemoryLogger();
    const server = await rig.start({ store, logger });
    store.unreachable = new Error('not connected to Redis; reconnecting');
    for (let wave = 0; wave < 10; wave++) {
      const answers = await Promise.all(
        Array.from({ length: 30 }, () => get(server.port, '/readyz')),
      );
      expect(answers.every((a) => a.status === 503)).toBe(true);
    }
    const lines = logger.lines.filter((l) => l.message.includes('/readyz'));
    expect(lines).toEqual([
      {
        level: 'warn',
        message:
          '/readyz answered 503: the store does not answer ' +
          '(Error: not connected to Redis; reconnecting)',
      },
    ]);
    store.unreachable = null;
    expect((await get(server.port, '/readyz')).status).toBe(200);
    expect((await get(server.port, '/readyz')).status).toBe(200);
    expect(logger.messages('info')).toContain('/readyz answers 200 again, after 300 503s');
    expect(logger.lines.filter((l) => l.message.includes('/readyz'))).toHaveLength(2);
  });

  it('other paths keep the 426 upgrade hint; other methods get 405', async () => {
    const server = await rig.start();
    expect(await get(server.port, '/')).toMatchObject({ status: 426 });
    expect(await get(server.port, '/healthz', 'POST')).toMatchObject({ status: 405 });
    expect(await get(server.port, '/healthz', 'HEAD')).toMatchObject({ status: 200, body: '' });
  });
});

describe('httpHandler while draining', () => {
  let server: http.Server | null = null;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('/readyz says 503 draining (without asking the store); /healthz stays 200', async () => {
    let pinged = 0;
    const sources: HttpSources = {
      draining: () => true,
      pingStore: () => {
        pinged++;
        return Promise.resolve();
      },
      exposition: () => Promise.resolve({ contentType: 'text/plain', body: '' }),
    };
    server = http.createServer(httpHandler(sources, () => undefined));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    expect(await get(port, '/readyz')).toMatchObject({ status: 503, body: 'draining\n' });
    expect(pinged).toBe(0);
    expect((await get(port, '/healthz')).status).toBe(200);
  });
});
