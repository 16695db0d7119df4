import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { silentLogger } from '../../../../shared/logger';
import { startServer } from '../../../../server/server';
import type { RunningServer } from '../../../../server/server-core';
import { MemoryPartyStore } from '../../../../server/store/test-util/memory-store';
import { probeControlServer } from './server-probe';
import { serverName } from '../../../../shared/values/server-url';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function controlServer(): Promise<RunningServer> {
  const server = await startServer({
    port: 0,
    dataDir: '/nonexistent',
    store: new MemoryPartyStore(),
    logger: silentLogger,
  });
  closers.push(() => server.close());
  return server;
}

function listen(server: Server): Promise<number> {
  closers.push(() => new Promise((done) => server.close(done)));
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)),
  );
}

describe('probeControlServer', () => {
  it('a LANrage control server answers, by ws:// or http:// address', async () => {
    const server = await controlServer();
    expect(await probeControlServer(server.url)).toEqual({
      reachable: true,
      message: `${serverName(server.url)} answered.`,
    });
    const http = server.url.replace(/^ws/, 'http').replace(/\/ws$/, '');
    expect((await probeControlServer(http)).reachable).toBe(true);
  });

  it('a closed port: nothing is listening', async () => {
    const server = await controlServer();
    const url = server.url;
    await server.close();
    const check = await probeControlServer(url);
    // One sentence, the server its subject: one colon, no capital after it.
    expect(check).toEqual({
      reachable: false,
      message: `${serverName(url)} did not answer: nothing is listening at that address.`,
    });
  });

  it('a plain web server is not a LANrage server', async () => {
    const port = await listen(createServer((_req, res) => res.writeHead(404).end()));
    const check = await probeControlServer(`http://127.0.0.1:${port}`);
    expect(check.reachable).toBe(false);
    expect(check.message).toMatch(/HTTP 404.*not a LANrage server/);
  });

  it('a WebSocket server that never answers hello: no answer within the timeout', async () => {
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    closers.push(() => new Promise((done) => wss.close(done)));
    const port = await listen(http);
    const started = Date.now();
    const check = await probeControlServer(`ws://127.0.0.1:${port}/ws`, { timeoutMs: 300 });
    expect(check.reachable).toBe(false);
    expect(check.message).toMatch(/did not answer/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  /** A server that speaks only the seed's 1.0 messages: hello unknown to it, said so. */
  async function seedServer(answer: (send: (frame: string) => void) => void): Promise<number> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (ws) => ws.on('message', () => answer((frame) => ws.send(frame))));
    closers.push(() => new Promise((done) => wss.close(done)));
    return listen(http);
  }

  it('a 1.0 server answering hello with an error (no request_id) speaks an older protocol', async () => {
    const unknown = JSON.stringify({ type: 'error', message: 'Unknown message type: hello' });
    const port = await seedServer((send) => send(unknown));
    const started = Date.now();
    expect(await probeControlServer(`ws://127.0.0.1:${port}/ws`)).toEqual({
      reachable: false,
      message: `127.0.0.1:${port} answered, but speaks an older LANrage protocol than this app needs (no welcome).`,
    });
    // Taken as the answer at once, not after the 5 s of silence.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('any other first frame, even one LANrage cannot read, is an answer too', async () => {
    const port = await seedServer((send) => send('{"type": "party_update", "party": 1}'));
    const check = await probeControlServer(`ws://127.0.0.1:${port}/ws`);
    expect(check.message).toMatch(
      /^127\.0\.0\.1:\d+ answered, but speaks an older LANrage protocol/,
    );
  });
});

describe('probeControlServer, a list of servers', () => {
  it('names the one that did not answer once, as the subject of its sentence', async () => {
    const server = await controlServer();
    const gone = await controlServer();
    const goneUrl = gone.url;
    await gone.close();
    const check = await probeControlServer(`${server.url}, ${goneUrl}`);
    expect(check).toEqual({
      reachable: false,
      message: `${serverName(goneUrl)} did not answer: nothing is listening at that address.`,
    });
  });
});
