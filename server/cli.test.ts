import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PORT_MESSAGE } from '../shared/values/port';
import { CLOSE_SERVICE_RESTART } from '../shared/protocol/protocol';
import { CliArgsSchema, parseCli } from './cli/args';
import { DEFAULT_QUOTAS } from './admission/quotas';
import { DB_FILE } from './store/sqlite-store';
import { TestRig, hostParty, peerDict } from './test-util/support';
import { runServerExpectingExit, spawnServer, type ServerProcess } from './test-util/process';

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

  it('reads the limit flags into server options; defaults sized for 20 000 peers', () => {
    expect(parseCli([], {}).limits).toEqual({
      admission: { maxConnections: 25_000, maxPerAddress: 256, cutBackoffMs: 1000 },
      helloTimeoutMs: 10_000,
      handshakeTimeoutMs: 10_000,
      maxBufferedBytes: 512 * 1024,
      quotas: DEFAULT_QUOTAS,
      onCorrupt: 'set-aside',
      commitsOnLoop: true,
    });
    const args = parseCli(
      [
        ...['--max-connections', '5', '--max-connections-per-ip', '2', '--hello-timeout', '0'],
        ...['--handshake-timeout', '1.5', '--max-unsent-kib', '64', '--max-parties-per-peer', '1'],
        ...['--max-parties-per-ip', '3', '--parties-per-minute', '0', '--joins-per-minute', '7'],
        ...['--update-interval', '0.25', '--on-corrupt', 'refuse', '--cut-backoff', '2.5'],
        ...['--commits-on-loop', 'off'],
        ...['--snapshot-kib-per-second', '256', '--snapshot-kib-per-second-per-ip', '0'],
        ...['--signal-kib-per-second', '8', '--peer-ids-per-minute', '9'],
      ],
      {},
    );
    expect(args.limits).toEqual({
      admission: { maxConnections: 5, maxPerAddress: 2, cutBackoffMs: 2500 },
      helloTimeoutMs: 0,
      handshakeTimeoutMs: 1500,
      maxBufferedBytes: 64 * 1024,
      quotas: {
        maxPartiesPerPeer: 1,
        maxPartiesPerAddress: 3,
        creationsPerMinute: 0,
        peerIdsPerMinute: 9,
        churnPerMinute: 7,
        updateIntervalMs: 250,
        snapshotBytesPerSecond: 256 * 1024,
        addressSnapshotBytesPerSecond: 0,
        signalBytesPerSecond: 8 * 1024,
        addressMessagesPerSecond: 200,
      },
      onCorrupt: 'refuse',
      commitsOnLoop: false,
    });
  });

  it.each([
    ['--port', ''],
    ['--port', ' '],
    ['--max-connections', ''],
    ['--max-connections', '0'],
    ['--joins-per-minute', ' '],
    ['--hello-timeout', ''],
    ['--rate-limit', ''],
    ['--max-unsent-kib', '1'],
    ['--snapshot-kib-per-second', ''],
    ['--snapshot-kib-per-second', '-5'],
    ['--snapshot-kib-per-second-per-ip', '1.5'],
    ['--snapshot-kib-per-second-per-ip', '99999999'],
    ['--on-corrupt', 'ignore'],
    ['--commits-on-loop', 'never'],
    ['--data-dir', ''],
  ])('refuses %s %j instead of reading it as 0 or a default', (flag, value) => {
    expect(() => parseCli([flag, value], {})).toThrow(flag);
  });

  it('rejects bad values, unknown flags and half a TLS pair', () => {
    expect(() => parseCli(['--port', '70000'], {})).toThrow(/--port/);
    expect(() => parseCli(['--port', 'abc'], {})).toThrow(/--port/);
    expect(() => parseCli(['--bogus', '1'], {})).toThrow(/bogus/);
    expect(() => parseCli(['--tls-cert', 'c'], {})).toThrow(/together/);
    expect(() => parseCli(['--peer-timeout', '-1'], {})).toThrow(/--peer-timeout/);
  });

  it('refuses intervals outside the bounds every client clamps to (shared/time/intervals.ts)', () => {
    expect(() => parseCli(['--heartbeat-interval', '0.001'], {})).toThrow(
      /--heartbeat-interval.*0\.1–300 seconds/,
    );
    expect(() => parseCli(['--heartbeat-interval', '1000'], {})).toThrow(/--heartbeat-interval/);
    expect(() => parseCli(['--sweep-interval', '0.01'], {})).toThrow(/--sweep-interval/);
    expect(() => parseCli(['--peer-timeout', '0.5'], {})).toThrow(/--peer-timeout/);
  });

  // A server announcing a 3 s heartbeat and timing members out after 1 s removed every one.
  it('refuses a peer timeout shorter than two heartbeat intervals', () => {
    // The value given is quoted (none when the default is too short).
    const twice = /^--peer-timeout(?: "1")?: must be at least twice --heartbeat-interval/;
    expect(() => parseCli(['--heartbeat-interval', '3', '--peer-timeout', '1'], {})).toThrow(twice);
    expect(() => parseCli(['--heartbeat-interval', '200'], {})).toThrow(twice);
    const [beat, timeout] = [
      ['--heartbeat-interval', '0.5'],
      ['--peer-timeout', '1'],
    ];
    expect(parseCli([...beat, ...timeout], {})).toMatchObject({ peerTimeoutMs: 1000 });
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

  it('exits 2 with a message on a bad flag, --port "" included', async () => {
    const [nope, empty] = await Promise.all([
      runServerExpectingExit(['--port', 'nope']),
      runServerExpectingExit(['--port', '']),
    ]);
    for (const [{ code, stderr }, given] of [
      [nope, '"nope"'],
      [empty, '""'],
    ] as const) {
      expect(code).toBe(2);
      expect(stderr).toContain(`--port ${given}: ${PORT_MESSAGE}`);
    }
  });

  // Node's own recursive mkdir spins forever there (shared/node/make-dirs.ts).
  it.runIf(process.platform === 'linux')(
    'exits 1 naming a data dir that cannot be made (under /proc) instead of hanging',
    async () => {
      const where = '/proc/lanrage-no-such/data';
      const { code, stdout, stderr } = await runServerExpectingExit(['--data-dir', where]);
      expect(code).toBe(1);
      expect(stdout + stderr).toContain(`Cannot make the data dir ${where}: ENOENT`);
    },
    15_000,
  );

  it('exits 1 saying a data dir that is a file is one, and moves nothing aside', async () => {
    const file = path.join(dir, 'not-a-dir');
    fs.writeFileSync(file, 'mine');
    const { code, stdout, stderr } = await runServerExpectingExit(['--data-dir', file]);
    expect(code).toBe(1);
    expect(stdout + stderr).toContain(`The data dir ${file} is a file, not a folder: pick a`);
    expect(stdout + stderr).not.toContain('EEXIST');
    expect(stdout + stderr).not.toContain('set aside');
    expect(fs.readdirSync(dir)).toEqual(['not-a-dir']);
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
  });

  it('--help lists every flag the parser takes, with its default, and exits 0; a bad flag points to it', async () => {
    const [help, bad] = await Promise.all([
      runServerExpectingExit(['--help']),
      runServerExpectingExit(['--bogus']),
    ]);
    expect(help.code).toBe(0);
    for (const flag of Object.keys(CliArgsSchema.shape)) {
      expect(help.stdout).toMatch(new RegExp(`^  --${flag} `, 'm'));
    }
    expect(help.stdout).toMatch(/^ {2}--port P .*; default 8667$/m);
    expect(help.stdout).toMatch(/^ {2}--signal-kib-per-second N .*; default 32$/m);
    // Its default is the parser's, not the schema's, so that --turn-ttl alone is refused.
    expect(help.stdout).toMatch(/^ {2}--turn-ttl S .*; default 3600$/m);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--bogus'");
    expect(bad.stderr).toContain('every flag: --help');
  });

  // Both were refused as "Unknown option '--help'", exit 2.
  it('admin --help and backup -h print their usage and exit 0, doing nothing else', async () => {
    const [admin, backup] = await Promise.all([
      runServerExpectingExit(['admin', '--help']),
      runServerExpectingExit(['backup', '-h', '--data-dir', dir]),
    ]);
    expect(admin).toMatchObject({ code: 0, stderr: '' });
    expect(admin.stdout).toMatch(/^usage: npm run server -- admin parties\|end-party PARTY_ID/);
    expect(admin.stdout).toContain('  --token-file FILE  ');
    expect(backup).toMatchObject({ code: 0, stderr: '' });
    expect(backup.stdout).toMatch(/^usage: npm run server -- backup FILE \[--data-dir DIR\]/);
    expect(backup.stdout).toContain('  --data-dir DIR  ');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('prints one listening line, serves /ws, and exits 0 on SIGTERM closing clients with 1012 (service restart)', async () => {
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    expect(proc.url).toBe(`ws://127.0.0.1:${proc.port}/ws`);
    const c = await rig.connect(proc.url);
    expect((await c.request({ type: 'hello' })).type).toBe('welcome');
    const closed = c.closed;
    expect(await proc.kill('SIGTERM')).toBe(0);
    expect(await closed).toBe(CLOSE_SERVICE_RESTART);
    expect(fs.existsSync(path.join(dir, DB_FILE))).toBe(true);
    // The log ends saying the drain finished, not only that it began.
    expect(proc.stderr()).toMatch(
      /"msg":"SIGTERM: drained \(every client told to reconnect, the store flushed\)"/,
    );
  });

  it('refuses a second server on a data dir in use, without touching it; a SIGKILL frees it', async () => {
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    const token = await hostParty(await rig.connect(proc.url), 'party_lock_x', 'h');
    const second = await runServerExpectingExit(['--port', '0', '--data-dir', dir]);
    expect(second.code).toBe(1);
    expect(second.stdout + second.stderr).toContain(
      `Another LANrage server is using the data dir ${dir}`,
    );
    expect(second.stdout).not.toContain('listening');
    expect(fs.readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
    // The kernel drops the lock with the process: nothing stale to clear by hand.
    expect(await proc.kill('SIGKILL')).toBe('SIGKILL');
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    const back = await rig.connect(proc.url);
    expect(await back.hello(token)).toBe(token);
  });

  it('exits 1 on a port in use, saying so (logs off too), with no storage error on the way', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = String((taken.address() as net.AddressInfo).port);
    try {
      const quiet = ['--data-dir', path.join(dir, 'quiet'), '--log-level', 'silent'];
      const [{ code, stderr }, silent] = await Promise.all([
        runServerExpectingExit(['--port', port, '--data-dir', dir]),
        runServerExpectingExit(['--port', port, ...quiet]),
      ]);
      expect(code).toBe(1);
      expect(stderr).toContain(`EADDRINUSE: address already in use 127.0.0.1:${port}`);
      // What the start wrote is flushed before the store closes: no error-level line about it.
      expect(stderr).not.toContain('Storage commit failed');
      // Said even when the logs are off.
      expect(silent.code).toBe(1);
      expect(silent.stderr).toBe(
        `lanrage-server: Cannot listen on 127.0.0.1 port ${port}: listen EADDRINUSE: address ` +
          `already in use 127.0.0.1:${port} (another program (another server?) has that port: ` +
          'stop it or pick another --port)\n',
      );
    } finally {
      taken.close();
    }
  });

  it('keeps parties, peers and sessions across a SIGKILL', async () => {
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    const token = await hostParty(await rig.connect(proc.url), 'party_p1_x', 'h');
    const guest = await rig.connect(proc.url);
    await guest.hello();
    await guest.request({ type: 'join_party', party_id: 'party_p1_x', peer: peerDict('g') });
    // Acknowledged means durable: kill without any chance to flush.
    expect(await proc.kill('SIGKILL')).toBe('SIGKILL');
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);

    const back = await rig.connect(proc.url);
    expect(await back.hello(token)).toBe(token);
    const party = await back.request({ type: 'get_party', party_id: 'party_p1_x' });
    expect(Object.keys((party.party as { peers: object }).peers).sort()).toEqual(['g', 'h']);
    expect(
      await back.request({ type: 'heartbeat', party_id: 'party_p1_x', peer_id: 'h' }),
    ).toMatchObject({
      type: 'heartbeat_ack',
    });
    const stranger = await rig.connect(proc.url);
    await stranger.hello();
    expect(
      await stranger.request({ type: 'heartbeat', party_id: 'party_p1_x', peer_id: 'g' }),
    ).toMatchObject({ code: 'forbidden' });
  });
});
