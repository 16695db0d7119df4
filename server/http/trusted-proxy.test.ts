/**
 * `--trusted-proxy`: behind a TCP load balancer every player had the balancer's address, so
 * every per-address limit was one budget for the whole community (one client cut for not
 * reading got everyone's new connections refused). Real sockets: a tiny balancer writing
 * PROXY headers (test-util/proxy-balancer.ts) from 127.0.0.1, the one address trusted here;
 * its clients connect from other loopback addresses.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tlsClient from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { DEFAULT_QUOTAS, NO_QUOTAS } from '../admission/quotas';
import type { ServerOptions } from '../server';
import { ADMIN_TEST_TOKEN } from '../test-util/admin-request';
import { makeTestCertificate } from '../test-util/certificate';
import {
  proxyV1,
  proxyV2,
  rawExchange,
  TestBalancer,
  type HeaderFor,
} from '../test-util/proxy-balancer';
import { TestRig, delay, hostParty, peerDict } from '../test-util/support';

const TRUSTED = ['127.0.0.1/32'];
const rig = new TestRig();
const balancers: TestBalancer[] = [];
const opened: Array<WebSocket | net.Socket> = [];

afterEach(async () => {
  for (const s of opened.splice(0)) {
    if (s instanceof WebSocket) s.terminate();
    else s.destroy();
  }
  await rig.cleanup();
  await Promise.all(balancers.splice(0).map((b) => b.close()));
});

async function behindBalancer(
  options: Partial<ServerOptions>,
  header: HeaderFor = proxyV1,
): Promise<TestBalancer> {
  const server = await rig.start({ trustedProxies: TRUSTED, ...options });
  const balancer = await TestBalancer.start(server.port, header);
  balancers.push(balancer);
  return balancer;
}

/** 'open', or the HTTP status the upgrade was refused with. */
function upgrade(url: string, localAddress: string, ca?: Buffer): Promise<number | 'open'> {
  const ws = new WebSocket(url, { localAddress, ...(ca ? { ca } : {}) });
  opened.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve('open'));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

/** What came back from `localAddress` (rawExchange), the address first as these tests read. */
const exchange = (port: number, localAddress: string, bytes: Buffer | string): Promise<string> =>
  rawExchange(port, bytes, localAddress);

const HEALTH = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

describe.each([
  ['v1', proxyV1],
  ['v2', proxyV2],
])('through a balancer sending PROXY %s headers', (_, header) => {
  it('two clients have budgets of their own (party creations per address)', async () => {
    const quotas = { ...DEFAULT_QUOTAS, creationsPerMinute: 1 };
    const balancer = await behindBalancer({ quotas }, header);
    const a = await rig.connect(balancer.url, '127.0.0.2');
    await hostParty(a, 'party_a1', 'a1');
    const again = await a.request({
      type: 'register_party',
      party_id: 'party_a2',
      name: 'P',
      host_peer: peerDict('a2'),
    });
    expect(again).toMatchObject({ type: 'error', code: 'quota_exceeded' });
    // Counted under the balancer's address, this one was refused too.
    const b = await rig.connect(balancer.url, '127.0.0.3');
    await hostParty(b, 'party_b1', 'b1');
    expect(rig.server!.context.service.parties.has('party_b1')).toBe(true);
  });
});

describe('per-address limits behind a trusted balancer', () => {
  it('connection caps count each client, not the balancer', async () => {
    const balancer = await behindBalancer({ admission: { maxPerAddress: 2 } });
    expect(await upgrade(balancer.url, '127.0.0.2')).toBe('open');
    expect(await upgrade(balancer.url, '127.0.0.2')).toBe('open');
    expect(await upgrade(balancer.url, '127.0.0.2')).toBe(429);
    expect(await upgrade(balancer.url, '127.0.0.3')).toBe('open');
  });

  // The review's denial of service: one client that stops reading got every new connection
  // through the balancer refused with 429, doubling up to a minute.
  it('a client cut for not reading is backed off alone; the others still get in', async () => {
    const logger = new MemoryLogger();
    const balancer = await behindBalancer({
      logger,
      rateLimit: null,
      maxBufferedBytes: 256 * 1024,
      quotas: NO_QUOTAS,
      admission: { cutBackoffMs: 5000 },
    });
    const c = await rig.connect(balancer.url, '127.0.0.7');
    await c.hello();
    await c.request({
      type: 'register_party',
      party_id: 'party_big',
      name: 'B',
      host_peer: peerDict('p0'),
    });
    for (let i = 1; i < 30; i += 1) {
      await c.request({ type: 'join_party', party_id: 'party_big', peer: peerDict(`p${i}`) });
    }
    // The balancer stops reading the server for this client: the server's buffer for it grows.
    for (const upstream of balancer.upstreamsOf('127.0.0.7')) upstream.pause();
    for (let i = 0; i < 3000; i += 1) c.send({ type: 'get_party', party_id: 'party_big' });
    const connected = () => rig.server!.context.presence.isConnected('p0');
    for (let i = 0; i < 500 && connected(); i += 1) await delay(20);
    expect(connected()).toBe(false);
    // A paused socket never reads the server's FIN: the client would wait for it for good.
    for (const upstream of balancer.upstreamsOf('127.0.0.7')) upstream.destroy();
    c.ws.terminate();
    expect(logger.messages('warn')).toContain(
      'Refusing new connections from 127.0.0.7 for 5000 ms',
    );
    expect(await upgrade(balancer.url, '127.0.0.7')).toBe(429);
    expect(await upgrade(balancer.url, '127.0.0.8')).toBe('open');
  });

  it('the admin API throttles and logs the client, not the balancer', async () => {
    const logger = new MemoryLogger();
    const balancer = await behindBalancer({ logger, adminToken: ADMIN_TEST_TOKEN });
    const status = (localAddress: string) =>
      new Promise<number>((resolve, reject) => {
        const headers = { Authorization: 'Bearer wrong' };
        const options = { host: '127.0.0.1', port: balancer.port, path: '/admin/parties', headers };
        const req = http.get({ ...options, localAddress, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
    for (let i = 0; i < 5; i++) expect(await status('127.0.0.5')).toBe(401);
    expect(await status('127.0.0.5')).toBe(429);
    expect(await status('127.0.0.6')).toBe(401);
    expect(logger.messages('warn')).toContain('Admin API: a wrong token from 127.0.0.5 (401)');
  });
});

describe('what a trusted balancer must send', () => {
  it('a connection from it without a valid header is closed, unanswered, and logged', async () => {
    const logger = new MemoryLogger();
    const server = await rig.start({ trustedProxies: TRUSTED, logger, handshakeTimeoutMs: 300 });
    const { port } = server;
    expect(await exchange(port, '127.0.0.1', HEALTH)).toBe('');
    expect(
      await exchange(port, '127.0.0.1', `PROXY TCP4 300.1.1.1 127.0.0.1 1 2\r\n${HEALTH}`),
    ).toBe('');
    expect(await exchange(port, '127.0.0.1', `PROXY TCP4 1.2.3.4 127.0.0.1 1 99999\r\n`)).toBe('');
    // Half a header, then nothing: closed at the handshake timeout.
    const started = Date.now();
    expect(await exchange(port, '127.0.0.1', 'PROXY TCP4 1.2.')).toBe('');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(logger.messages('warn').find((l) => l.includes('trusted proxy'))).toBe(
      'Closed a connection from the trusted proxy 127.0.0.1: no PROXY header',
    );
    // A valid one, then the request, answered.
    const ok = await exchange(
      port,
      '127.0.0.1',
      `PROXY TCP4 203.0.113.9 127.0.0.1 1 2\r\n${HEALTH}`,
    );
    expect(ok).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("anyone else's header is not honoured: their bytes are a bad request", async () => {
    const { port } = await rig.start({ trustedProxies: TRUSTED });
    const spoofed = await exchange(
      port,
      '127.0.0.2',
      `PROXY TCP4 203.0.113.9 127.0.0.1 1 2\r\n${HEALTH}`,
    );
    expect(spoofed).toMatch(/^HTTP\/1\.1 400 /);
    // And without a header, as before.
    expect(await exchange(port, '127.0.0.2', HEALTH)).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("the balancer's own health checks: a LOCAL header, or a connection closed at once", async () => {
    const logger = new MemoryLogger();
    const { port } = await rig.start({ trustedProxies: TRUSTED, logger });
    // v2, command LOCAL, family UNSPEC, no addresses.
    const local = Buffer.concat([
      Buffer.from('0d0a0d0a000d0a515549540a20000000', 'hex'),
      Buffer.from(HEALTH),
    ]);
    expect(await exchange(port, '127.0.0.1', local)).toMatch(/^HTTP\/1\.1 200 /);
    expect(await exchange(port, '127.0.0.1', `PROXY UNKNOWN\r\n${HEALTH}`)).toMatch(
      /^HTTP\/1\.1 200 /,
    );
    const check = net.connect({ port, host: '127.0.0.1' });
    await new Promise((resolve) => check.once('connect', resolve));
    check.destroy();
    await delay(100);
    expect(logger.messages('warn').filter((l) => l.includes('trusted proxy'))).toEqual([]);
  });

  it('a request split from its header, or sent with it in one packet, is read whole', async () => {
    const { port } = await rig.start({ trustedProxies: TRUSTED });
    const body = 'x'.repeat(100_000);
    const post = `POST /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const together = await exchange(
      port,
      '127.0.0.1',
      `PROXY TCP4 203.0.113.9 127.0.0.1 1 2\r\n${post}`,
    );
    expect(together).toMatch(/^HTTP\/1\.1 405 /);
    const socket = net.connect({ port, host: '127.0.0.1' });
    opened.push(socket);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.write('PROXY TCP4 203.0');
    await delay(50);
    socket.write('.113.9 127.0.0.1 1 2\r\nGET /hea');
    await delay(50);
    socket.write(HEALTH.slice('GET /hea'.length));
    await new Promise((resolve) => socket.once('close', resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});

/** A throwaway certificate for 127.0.0.1 (EC: made in milliseconds). */
function testCertificate(): { cert: Buffer; key: Buffer } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-proxy-tls-'));
  try {
    const [certFile, keyFile] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
    makeTestCertificate(certFile, keyFile);
    return { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// TLS wraps the TCP socket the header came on: the upgrade's socket is the TLS one.
it('over TLS (--tls-cert), the header before the handshake names the client too', async () => {
  const tls = testCertificate();
  const balancer = await behindBalancer({ tls, admission: { maxPerAddress: 1 } });
  const url = `wss://127.0.0.1:${balancer.port}/ws`;
  expect(await upgrade(url, '127.0.0.2', tls.cert)).toBe('open');
  expect(await upgrade(url, '127.0.0.2', tls.cert)).toBe(429);
  expect(await upgrade(url, '127.0.0.3', tls.cert)).toBe('open');
});

it('over TLS, a ClientHello in the same packet as the header is read whole', async () => {
  const tls = testCertificate();
  const { port } = await rig.start({ trustedProxies: TRUSTED, tls });
  const raw = net.connect({ port, host: '127.0.0.1' });
  opened.push(raw);
  await new Promise((resolve) => raw.once('connect', resolve));
  // Written in the same tick as the handshake's first bytes: one segment on loopback.
  raw.write('PROXY TCP4 203.0.113.9 127.0.0.1 1 2\r\n');
  const secure = tlsClient.connect({ socket: raw, ca: tls.cert, servername: '127.0.0.1' });
  secure.on('error', () => undefined);
  const answer = await new Promise<string>((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve(`${text}(no answer)`), 2000);
    secure.on('secureConnect', () => secure.write(HEALTH));
    secure.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    secure.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
  expect(answer).toMatch(/^HTTP\/1\.1 200 /);
});
