import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { MAX_JSON_DEPTH } from '../../shared/protocol/json-depth';
import { STALE_PAGE_CLOSE } from '../../shared/ipc/contract';
import { createAppService } from '../core/app-service/app-service';
import { Config } from '../core/config/config';
import { LocalControlPlane } from '../core/local/control-plane';
import { localEnv } from '../core/test-util/local-plane';
import { silentLogger } from '../../shared/logger';
import { startHeadless } from './headless-server';
import type { HeadlessHandle } from './headless-server';
import { eventuallyValue } from '../../shared/test-support/eventually';

let dir: string;
let handle: HeadlessHandle;

async function start(): Promise<HeadlessHandle> {
  // The app's local mode: its parties on the embedded server, on 127.0.0.1 only.
  const config = Config.load({ env: localEnv(join(dir, 'home')) });
  const service = await createAppService({
    config,
    identity: { peerId: 'peer_test1', publicKey: 'k'.repeat(43) + '=' },
    createControlPlane: (c) => new LocalControlPlane(c, { logger: silentLogger, saveDelayMs: 0 }),
    localIp: () => '192.168.1.100',
    logger: silentLogger,
  });
  return startHeadless({
    port: 0,
    rendererDir: join(dir, 'renderer'),
    createService: () => Promise.resolve(service),
    logger: silentLogger,
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lanrage-headless-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>LANrage</title>');
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'top secret');
  symlinkSync(join(dir, 'secret.txt'), join(dir, 'renderer', 'leak.txt'));
  handle = await start();
});

afterEach(async () => {
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw GET, so paths reach the server exactly as written (no client-side normalising). */
function get(path: string, host = `127.0.0.1:${handle.port}`): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: handle.port, path, method: 'GET', headers: { host } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

type Frame = { id?: number; result?: unknown; event?: { type: string } };

function connect(
  url: string,
  origin: string | undefined,
): Promise<{ ws: WebSocket; frames: Frame[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    const frames: Frame[] = [];
    ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8')) as Frame));
    ws.once('open', () => resolve({ ws, frames }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const until = <T>(probe: () => T | undefined): Promise<T> =>
  eventuallyValue(probe, 5000, 'the frame');

const origin = () => `http://127.0.0.1:${handle.port}`;

describe('headless server', () => {
  it('prints a 127.0.0.1 URL carrying a long random token', () => {
    expect(handle.url).toBe(`http://127.0.0.1:${handle.port}/?token=${handle.token}`);
    expect(handle.wsUrl).toBe(`ws://127.0.0.1:${handle.port}/ipc?token=${handle.token}`);
    expect(handle.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('serves the renderer with the CSP and nosniff headers', async () => {
    const index = await get('/?token=whatever');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>LANrage</title>');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    const script = await get('/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('refuses path traversal, encoded or not, and symlinks out of the renderer', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/leak.txt',
    ]) {
      const reply = await get(path);
      expect(reply.status, path).toBeGreaterThanOrEqual(400);
      expect(reply.body).not.toContain('top secret');
    }
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    expect((await get('/', `evil.example:${handle.port}`)).status).toBe(403);
  });

  it('refuses a WebSocket from a foreign origin or none; a page without the token is told it is stale', async () => {
    const base = `ws://127.0.0.1:${handle.port}/ipc`;
    await expect(connect(handle.wsUrl, 'http://evil.example')).rejects.toThrow('HTTP 403');
    // A non-browser client sends no Origin at all: the token alone is not enough.
    await expect(connect(handle.wsUrl, undefined)).rejects.toThrow('HTTP 403');
    await expect(connect(handle.wsUrl.replace('/ipc', '/other'), origin())).rejects.toThrow(
      'HTTP 404',
    );
    // Wrong, missing, one character changed, one too long: closed with 4403 before any frame.
    const flipped = handle.token.slice(0, -1) + (handle.token.endsWith('A') ? 'B' : 'A');
    for (const query of ['?token=nope', '', `?token=${flipped}`, `?token=${handle.token}x`]) {
      const { ws, frames } = await connect(`${base}${query}`, origin());
      const code = await new Promise<number>((resolve) => ws.once('close', resolve));
      expect(code, query).toBe(STALE_PAGE_CLOSE);
      expect(frames, query).toEqual([]);
    }
  });

  it('refuses a WebSocket upgrade for another host name, even with the right Origin and token', async () => {
    /** The first line the server answers a raw upgrade with. */
    const answer = (host: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = netConnect({ host: '127.0.0.1', port: handle.port });
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
          if (text.includes('\r\n')) socket.destroy();
        });
        socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
        socket.on('error', reject);
        socket.write(
          `GET /ipc?token=${handle.token} HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin()}\r\n` +
            'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
        );
      });
    expect(await answer(`evil.example:${handle.port}`)).toBe('HTTP/1.1 403 Forbidden');
    expect(await answer('evil.example')).toBe('HTTP/1.1 403 Forbidden');
    expect(await answer(`localhost:${handle.port}`)).toBe('HTTP/1.1 403 Forbidden');
    expect(await answer(`127.0.0.1:${handle.port}`)).toBe('HTTP/1.1 101 Switching Protocols');
  });

  it('an unparsable target gets 404 as a WebSocket, 400 as a page; the app stays up', async () => {
    const statusLine = (headers: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = netConnect({ host: '127.0.0.1', port: handle.port });
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
        socket.on('error', reject);
        socket.end(`GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${handle.port}\r\n${headers}\r\n`);
      });
    const upgrade =
      `Origin: ${origin()}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
    expect(await statusLine(upgrade)).toBe('HTTP/1.1 404 Not Found');
    expect(await statusLine('Connection: close\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect((await get('/?token=x')).status).toBe(200);
  });

  it('pushes a snapshot first, then round-trips requests and pushes changes', async () => {
    const { ws, frames } = await connect(handle.wsUrl, origin());
    try {
      const first = await until(() => frames[0]);
      expect(first.event?.type).toBe('snapshot');
      ws.send(JSON.stringify({ id: 7, channel: 'createParty', request: { name: 'LAN night' } }));
      const reply = await until(() => frames.find((f) => f.id === 7));
      expect(reply.result).toMatchObject({
        ok: true,
        value: { name: 'LAN night', host_id: 'peer_test1' },
      });
      const pushed = await until(() => frames.find((f) => f.event?.type === 'party'));
      expect(pushed.event).toMatchObject({ party: { name: 'LAN night' } });
    } finally {
      ws.close();
    }
  });

  it('answers invalid requests with bad_request and survives malformed frames', async () => {
    const { ws, frames } = await connect(handle.wsUrl, origin());
    try {
      ws.send(JSON.stringify({ id: 1, channel: 'createParty', request: { name: '' } }));
      ws.send(JSON.stringify({ id: 2, channel: 'nope', request: {} }));
      ws.send(JSON.stringify({ id: 3, chanel: 'typo' }));
      const replies = await until(() => {
        const r = frames.filter((f) => f.id !== undefined);
        return r.length === 3 ? r : undefined;
      });
      expect(replies.map((r) => r.id).sort()).toEqual([1, 2, 3]);
      for (const r of replies)
        expect(r.result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(replies.find((r) => r.id === 2)?.result).toEqual({
        ok: false,
        error: { code: 'bad_request', message: 'Unknown request "nope".' },
      });
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.send('not json');
      expect(await closed).toBe(1008);
      // State intact: the refused createParty made no party.
      expect(handle.service.snapshot().party).toBeNull();
      // The server itself is unharmed: a new connection gets its snapshot and is answered.
      const again = await connect(handle.wsUrl, origin());
      try {
        expect((await until(() => again.frames[0])).event?.type).toBe('snapshot');
        again.ws.send(JSON.stringify({ id: 9, channel: 'getSettings', request: {} }));
        const reply = await until(() => again.frames.find((f) => f.id === 9));
        expect(reply.result).toMatchObject({ ok: true });
      } finally {
        again.ws.close();
      }
    } finally {
      ws.close();
    }
  });

  it('refuses a frame nested deeper than MAX_JSON_DEPTH before any schema runs', async () => {
    const { ws, frames } = await connect(handle.wsUrl, origin());
    try {
      await until(() => frames[0]);
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      const deep = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
      ws.send(`{"id":1,"channel":"createParty","request":{"name":"LAN night","x":${deep}}}`);
      expect(await closed).toBe(1008);
      expect(frames.some((f) => f.id === 1)).toBe(false);
      expect(handle.service.snapshot().party).toBeNull();
    } finally {
      ws.close();
    }
  });

  it('closes the connection on a binary frame without answering it', async () => {
    const { ws, frames } = await connect(handle.wsUrl, origin());
    try {
      await until(() => frames[0]);
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      const frame = { id: 1, channel: 'createParty', request: { name: 'LAN night' } };
      ws.send(Buffer.from(JSON.stringify(frame)), { binary: true });
      expect(await closed).toBe(1008);
      expect(frames.some((f) => f.id === 1)).toBe(false);
      expect(handle.service.snapshot().party).toBeNull();
    } finally {
      ws.close();
    }
  });
});

describe('startHeadless', () => {
  it('refuses to start without a built renderer', async () => {
    await expect(
      startHeadless({
        port: 0,
        rendererDir: join(dir, 'nowhere'),
        logger: silentLogger,
        createService: () => Promise.reject(new Error('unused')),
      }),
    ).rejects.toThrow(/No built renderer/);
  });

  it('a port in use is refused in words, before a second app core starts on this home', async () => {
    let created = 0;
    const second = startHeadless({
      port: handle.port,
      rendererDir: join(dir, 'renderer'),
      logger: silentLogger,
      createService: () => {
        created++;
        return Promise.reject(new Error('a second core must not start'));
      },
    });
    await expect(second).rejects.toThrow(
      `Port ${handle.port} on 127.0.0.1 is already in use (is LANrage headless running already?)`,
    );
    expect(created).toBe(0);
  });
});
