import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCli } from './cli-args';
import { DB_FILE } from './sqlite-store';
import { TestRig, hostParty, peerDict } from './test-support';
import { runServerExpectingExit, spawnServer, type ServerProcess } from './test-process';

describe('parseCli', () => {
  it('has the documented defaults, data dir under LANRAGE_HOME', () => {
    const args = parseCli([], { LANRAGE_HOME: '/tmp/lr-home' });
    expect(args).toMatchObject({
      host: '127.0.0.1',
      port: 8667,
      dataDir: '/tmp/lr-home/server',
      tls: null,
      peerTimeoutMs: 300_000,
      sweepIntervalMs: 60_000,
      heartbeatIntervalS: 30,
    });
  });

  it('reads every flag', () => {
    const args = parseCli(
      ['--host', '0.0.0.0', '--port', '0', '--data-dir', '/d', '--tls-cert', 'c', '--tls-key', 'k'],
      {},
    );
    expect(args).toMatchObject({ host: '0.0.0.0', port: 0, dataDir: '/d' });
    expect(args.tls).toEqual({ certFile: 'c', keyFile: 'k' });
  });

  it('rejects bad values, unknown flags and half a TLS pair', () => {
    expect(() => parseCli(['--port', '70000'], {})).toThrow(/--port/);
    expect(() => parseCli(['--port', 'abc'], {})).toThrow(/--port/);
    expect(() => parseCli(['--bogus', '1'], {})).toThrow(/bogus/);
    expect(() => parseCli(['--tls-cert', 'c'], {})).toThrow(/together/);
    expect(() => parseCli(['--peer-timeout', '-1'], {})).toThrow(/--peer-timeout/);
  });
});

describe('server process', () => {
  let dir: string;
  let proc: ServerProcess | null = null;
  const rig = new TestRig();

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-cli-'));
  });
  afterEach(async () => {
    await rig.cleanup();
    await proc?.kill();
    proc = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 with a message on a bad flag', async () => {
    const { code, stderr } = await runServerExpectingExit(['--port', 'nope']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--port/);
  });

  it('prints one listening line, serves /ws, and exits 0 on SIGTERM closing clients with 1001', async () => {
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    expect(proc.url).toBe(`ws://127.0.0.1:${proc.port}/ws`);
    const c = await rig.connect(proc.url);
    expect((await c.request({ type: 'hello' })).type).toBe('welcome');
    const closed = c.closed;
    expect(await proc.kill('SIGTERM')).toBe(0);
    expect(await closed).toBe(1001);
    expect(fs.existsSync(path.join(dir, DB_FILE))).toBe(true);
  });

  it('keeps parties, peers and sessions across a SIGKILL', async () => {
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    const token = await hostParty(await rig.connect(proc.url), 'p1', 'h');
    const guest = await rig.connect(proc.url);
    await guest.hello();
    await guest.request({ type: 'join_party', party_id: 'p1', peer: peerDict('g') });
    // Acknowledged means durable: kill without any chance to flush.
    expect(await proc.kill('SIGKILL')).toBe('SIGKILL');
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);

    const back = await rig.connect(proc.url);
    expect(await back.hello(token)).toBe(token);
    const party = await back.request({ type: 'get_party', party_id: 'p1' });
    expect(Object.keys((party.party as { peers: object }).peers).sort()).toEqual(['g', 'h']);
    expect(await back.request({ type: 'heartbeat', party_id: 'p1', peer_id: 'h' })).toMatchObject({
      type: 'heartbeat_ack',
    });
    const stranger = await rig.connect(proc.url);
    await stranger.hello();
    expect(
      await stranger.request({ type: 'heartbeat', party_id: 'p1', peer_id: 'g' }),
    ).toMatchObject({ code: 'forbidden' });
  });
});
