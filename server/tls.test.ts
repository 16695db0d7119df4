/**
 * The server over TLS (wss://), with a throwaway self-signed certificate for 127.0.0.1
 * made by the openssl CLI: in-process through startServer({tls}), and as the CLI process
 * with --tls-cert/--tls-key; reached by a raw ws client and by the app's RemoteControlPlane
 * (given the certificate as `ca`, or, as a user would, through NODE_EXTRA_CA_CERTS).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RemoteControlPlane } from '../electron/core/remote/control-plane';
import { makePeer } from '../electron/core/test-util/fixtures';
import { PROTOCOL_VERSION } from '../shared/protocol/protocol';
import { silentLogger } from '../shared/logger';
import { startServer } from './server';
import type { RunningServer } from './server-core';
import { MemoryPartyStore } from './store/test-util/memory-store';
import { peerDict } from './test-util/support';
import { makeTestCertificate } from './test-util/certificate';
import { spawnServer, type ServerProcess } from './test-util/process';
import { testRemotePlane } from '../electron/core/test-util/remote-plane';

let dir: string;
let certFile: string;
let keyFile: string;
let cert: Buffer;
let server: RunningServer | null = null;
let proc: ServerProcess | null = null;
const sockets: WebSocket[] = [];
const planes: RemoteControlPlane[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-tls-'));
  certFile = path.join(dir, 'cert.pem');
  keyFile = path.join(dir, 'key.pem');
  makeTestCertificate(certFile, keyFile);
  cert = fs.readFileSync(certFile);
});
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const p of planes.splice(0)) await p.close();
  await server?.close();
  server = null;
  await proc?.kill();
  proc = null;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Frame = Record<string, unknown>;

/** A raw protocol client over wss, trusting `ca` (or nothing beyond Node's CA store). */
function connect(url: string, ca?: Buffer): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ca ? { ca } : {});
    sockets.push(ws);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function request(ws: WebSocket, message: Frame): Promise<Frame> {
  const requestId = `r${Math.random()}`;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const frame = JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as Frame;
      if (frame.request_id !== requestId) return;
      ws.off('message', onMessage);
      resolve(frame);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ ...message, request_id: requestId }));
  });
}

/** hello → welcome, then a party registered and read back. */
async function roundTrip(url: string): Promise<void> {
  const ws = await connect(url, cert);
  const welcome = await request(ws, { type: 'hello', version: '1.0', client: 'lanrage' });
  expect(welcome).toMatchObject({ type: 'welcome', version: PROTOCOL_VERSION });
  expect(welcome.session_token).toMatch(/^\w{32}$/);
  const registered = await request(ws, {
    type: 'register_party',
    party_id: 'tls_party',
    name: 'Over TLS',
    host_peer: peerDict('host'),
  });
  expect(registered).toMatchObject({ type: 'party_update', party: { name: 'Over TLS' } });
  const read = await request(ws, { type: 'get_party', party_id: 'tls_party' });
  expect(read).toMatchObject({
    party: { host_id: 'host', peers: { host: { name: 'Player host' } } },
  });
}

/** The http(s) form of a ws(s) URL, as users type it into Settings. */
const httpsOf = (url: string): string => url.replace(/^wss:/, 'https:').replace(/\/ws$/, '');

function plane(name: string, controlServer: string): RemoteControlPlane {
  const p = testRemotePlane(dir, name, controlServer, { ca: cert });
  planes.push(p);
  return p;
}

function startTls(handshakeTimeoutMs?: number): Promise<RunningServer> {
  const tls = { cert, key: fs.readFileSync(keyFile) };
  const store = new MemoryPartyStore();
  const limits = handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs };
  return startServer({ port: 0, dataDir: dir, tls, store, logger: silentLogger, ...limits });
}

describe('server over TLS (startServer)', () => {
  it('serves wss:// with hello/welcome and a party round trip', async () => {
    server = await startTls();
    expect(server.url).toBe(`wss://127.0.0.1:${server.port}/ws`);
    await roundTrip(server.url);
  });

  it('a client that does not trust the certificate is refused; plain ws:// gets nowhere', async () => {
    server = await startTls();
    await expect(connect(server.url)).rejects.toThrow(/self-signed|certificate/i);
    await expect(connect(server.url.replace(/^wss:/, 'ws:'))).rejects.toThrow();
  });

  it('a TLS handshake left half-sent is cut at the handshake timeout, as a slow request is', async () => {
    server = await startTls(300);
    const socket = net.connect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    // A record header announcing more than is ever sent: the handshake never completes.
    socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]));
    const startedAt = Date.now();
    await new Promise((resolve) => socket.once('close', resolve));
    expect(Date.now() - startedAt).toBeLessThan(5000);
    await roundTrip(server.url);
  });

  it('two RemoteControlPlanes given an https:// URL share a party', async () => {
    server = await startTls();
    const [a, b] = [plane('a', httpsOf(server.url)), plane('b', httpsOf(server.url))];
    await a.initialize();
    await b.initialize();
    expect(a.serverUrl).toBe(server.url);
    expect([a.connected, b.connected]).toEqual([true, true]);
    await a.registerParty('tls_party', 'Over TLS', makePeer('pa', 'Alice'));
    const joined = await b.joinParty('tls_party', makePeer('pb', 'Bob'));
    expect([...joined.peers.keys()].sort()).toEqual(['pa', 'pb']);
    await b.heartbeat('tls_party', 'pb');
    expect(b.status().lastHeartbeatRttMs).not.toBeNull();
  });
});

/** Runs a RemoteControlPlane in a child Node process without a `ca` option, as the app runs. */
function childJoin(controlServer: string, env: Record<string, string>): Promise<string> {
  const core = (file: string): string =>
    pathToFileURL(path.resolve(import.meta.dirname, '../electron/core', file)).href;
  const shared = (file: string): string =>
    pathToFileURL(path.resolve(import.meta.dirname, '../shared', file)).href;
  const script = `
    import { Config } from '${core('config/config.ts')}';
    import { MemoryLogger } from '${shared('test-support/memory-logger.ts')}';
    import { RemoteControlPlane } from '${core('remote/control-plane.ts')}';
    import { makePeer } from '${core('test-util/fixtures.ts')}';
    const config = new Config({ home: process.env.TLS_HOME, instance: 'child', peerName: 'child',
      controlServer: process.env.TLS_SERVER, heartbeatInterval: 30, cleanupInterval: 60, peerTimeout: 300 });
    const logger = new MemoryLogger();
    const plane = new RemoteControlPlane(config, { logger, maxReconnectAttempts: 0, connectTimeoutMs: 5000 });
    await plane.initialize();
    if (plane.connected) {
      const party = await plane.joinParty('tls_party', makePeer('child'));
      console.log('joined ' + [...party.peers.keys()].sort().join(','));
    } else console.log('refused ' + logger.messages('warn').join(' | '));
    await plane.close();`;
  // Only the certificate this test hands over may be trusted beyond Node's own store.
  const { NODE_EXTRA_CA_CERTS: _inherited, ...inherited } = process.env;
  const childEnv = { ...inherited, TLS_HOME: dir, TLS_SERVER: controlServer, ...env };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { env: childEnv, timeout: 20_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim()),
    );
  });
}

describe('server over TLS (CLI process)', () => {
  it('prints wss://, and serves the raw protocol and an app trusting the cert through NODE_EXTRA_CA_CERTS', async () => {
    const dataDir = path.join(dir, 'cli');
    proc = await spawnServer([
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--tls-cert',
      certFile,
      '--tls-key',
      keyFile,
    ]);
    expect(proc.url).toBe(`wss://127.0.0.1:${proc.port}/ws`);
    await roundTrip(proc.url);

    const url = httpsOf(proc.url);
    expect(await childJoin(url, { NODE_EXTRA_CA_CERTS: certFile })).toBe('joined child,host');
    // Without the certificate trusted, the same app refuses the server (and says why).
    expect(await childJoin(url, {})).toMatch(
      /^refused .*self-signed, and this PC does not trust it/,
    );
  });
});
