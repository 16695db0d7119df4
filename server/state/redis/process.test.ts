/**
 * The server as a process on a real redis-server (issue 12): a dead server's clients resume
 * on the other with nothing acknowledged lost; a Redis restart loses nothing acknowledged;
 * while Redis is away requests are refused (`unavailable`), /readyz fails, nothing crashes,
 * and service returns with Redis.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RawClient, hostParty, httpGet, peerDict } from '../../test-util/support';
import { eventually } from '../../../shared/test-support/eventually';
import { runServerExpectingExit, spawnServer } from '../../test-util/process';
import { RedisTestServer } from '../../test-util/redis-server';
import { RedisProcesses } from '../../test-util/redis-processes';

const rig = new RedisProcesses('lanrage-redis-proc-');

beforeEach(() => rig.start(), 20_000);
afterEach(async () => {
  await rig.cleanup();
});

async function join(url: string, peerId: string): Promise<{ c: RawClient; token: string }> {
  const c = await rig.client(url);
  const token = await c.hello();
  const answer = await c.request({
    type: 'join_party',
    party_id: 'party_p1',
    peer: peerDict(peerId),
  });
  expect(answer.type).toBe('party_update');
  return { c, token };
}

const members = (frame: Record<string, unknown>): string[] =>
  Object.keys((frame.party as { peers: object }).peers).sort();

describe('the server on Redis, as a process', () => {
  it('refuses a malformed --redis, and an unreachable Redis with a clear error', async () => {
    const bad = await runServerExpectingExit(['--redis', 'http://x', '--port', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--redis: must be redis:\/\//);
    await rig.redis.stop();
    const quiet = ['--port', '0', '--log-level', 'silent'];
    const away = await runServerExpectingExit([...quiet, '--redis', rig.redis.url]);
    expect(away.code).toBe(1);
    expect(away.stderr).toMatch(`cannot reach Redis at 127.0.0.1:${rig.redis.port}`);
    expect(away.stderr).toMatch(/ECONNREFUSED/);
  }, 30_000);

  it('a wrong or missing Redis password stops the server saying so, not "Connection is closed"', async () => {
    const locked = await RedisTestServer.start(['--requirepass', 's3cret']);
    try {
      const at = `127.0.0.1:${locked.port}`;
      for (const url of [`redis://:typo-pw-7@${at}`, `redis://${at}`]) {
        const args = ['--port', '0', '--log-level', 'silent', '--redis', url];
        const run = await runServerExpectingExit([...args, '--data-dir', `${rig.home.dir}/x`]);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(`cannot reach Redis at ${at}`);
        expect(run.stderr).toMatch(/password/);
        expect(run.stderr).not.toMatch('typo-pw-7');
      }
    } finally {
      await locked.cleanup();
    }
  }, 40_000);

  it('takes the Redis password from a file of its owner’s only, not from the URL', async () => {
    const pw = 'p@ss w%rd/7';
    const locked = await RedisTestServer.start(['--requirepass', pw]);
    try {
      const url = `redis://127.0.0.1:${locked.port}`;
      const file = `${rig.home.dir}/redis-pw`;
      writeFileSync(file, `${pw}\n`, { mode: 0o644 });
      const base = ['--port', '0', '--log-level', 'silent', '--data-dir', `${rig.home.dir}/x`];
      const open = await runServerExpectingExit([
        ...base,
        '--redis',
        url,
        '--redis-password-file',
        file,
      ]);
      expect(open.code).toBe(2);
      expect(open.stderr).toContain(`--redis-password-file ${file}: group or others may access it`);
      chmodSync(file, 0o600);
      const both = `redis://:other@127.0.0.1:${locked.port}`;
      const twice = await runServerExpectingExit([
        ...base,
        '--redis',
        both,
        '--redis-password-file',
        file,
      ]);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toContain('has a password already');
      // A wrong password in the file: the hint names the file, not the URL form `ps` shows.
      const wrong = `${rig.home.dir}/redis-pw-wrong`;
      writeFileSync(wrong, 'typo-pw-7\n', { mode: 0o600 });
      const refused = await runServerExpectingExit([
        ...base,
        '--redis',
        url,
        '--redis-password-file',
        wrong,
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`(check the password in --redis-password-file ${wrong})`);
      expect(refused.stderr).not.toMatch(/redis:\/\/:PASSWORD|typo-pw-7/);
      const proc = await spawnServer([...base, '--redis', url, '--redis-password-file', file]);
      rig.adopt(proc);
      // Registered: committed to the Redis that asks for the password; and ready.
      await hostParty(await rig.client(proc.url), 'party_pw', 'h');
      expect((await httpGet(proc.port, '/readyz')).status).toBe(200);
    } finally {
      await locked.cleanup();
    }
  }, 40_000);

  it('moved from SQLite to Redis, the server warns that the SQLite parties stay behind', async () => {
    const dataDir = `${rig.home.dir}/moved`;
    const sqlite = await spawnServer(['--port', '0', '--data-dir', dataDir]);
    rig.adopt(sqlite);
    await hostParty(await rig.client(sqlite.url), 'party_p1', 'h');
    expect(await sqlite.kill('SIGTERM')).toBe(0);
    const onRedis = await spawnServer([
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--redis',
      rig.redis.url,
    ]);
    rig.adopt(onRedis);
    const warningIn = (): string | undefined =>
      onRedis
        .stderr()
        .split('\n')
        .find((line) => line.includes(`${dataDir}/lanrage.db`));
    await eventually(() => warningIn() !== undefined, 2000, 'the warning', 100).catch(() => {});
    const warning = warningIn();
    expect(warning).toBeDefined();
    expect(JSON.parse(warning!)).toMatchObject({ level: 40 });
    expect(warning).toMatch(/not used with --redis/);
    // What the warning is about: the party is not in Redis.
    const reader = await rig.client(onRedis.url);
    await reader.hello();
    const answer = await reader.request({ type: 'get_party', party_id: 'party_p1' });
    expect(answer).toMatchObject({ type: 'error', code: 'not_found' });
  }, 40_000);

  it('SIGKILL one of two servers: its clients resume on the other, no membership lost', async () => {
    const a = await rig.server('a');
    const b = await rig.server('b');
    const host = await rig.client(a.url);
    const hostToken = await hostParty(host, 'party_p1', 'h');
    const onA = await join(a.url, 'x');
    await join(b.url, 'y');
    await a.kill('SIGKILL');
    const killedAt = Date.now();
    // The clients of the dead server come back on the other with their sessions.
    const back = await rig.client(b.url);
    await back.hello(hostToken);
    const again = await rig.client(b.url);
    await again.hello(onA.token);
    const party = await back.request({ type: 'get_party', party_id: 'party_p1' });
    expect(members(party)).toEqual(['h', 'x', 'y']);
    // They act as their own peers again: the session (ownership) lives in Redis.
    const beat = await again.request({ type: 'heartbeat', party_id: 'party_p1', peer_id: 'x' });
    expect(beat.type).toBe('heartbeat_ack');
    const left = await back.request({ type: 'leave_party', party_id: 'party_p1', peer_id: 'h' });
    expect(left.type).toBe('ack');
    expect(Date.now() - killedAt).toBeLessThan(15_000);
  }, 40_000);

  it('restarting Redis loses no acknowledged change; while it is away requests are refused', async () => {
    const a = await rig.server('a');
    const host = await rig.client(a.url);
    await hostParty(host, 'party_p1', 'h');
    await join(a.url, 'x');
    await rig.redis.stop('SIGKILL');

    const c = await rig.client(a.url);
    await c.hello();
    const refused = await c.request({
      type: 'join_party',
      party_id: 'party_p1',
      peer: peerDict('z'),
    });
    expect(refused).toMatchObject({ type: 'error', code: 'unavailable' });
    expect((await httpGet(a.port, '/readyz')).status).toBe(503);
    // In words: it used to be ioredis's "Stream isn't writeable and enableOfflineQueue…".
    expect(a.stderr()).toMatch(/Storage commit failed: Error: not connected to Redis/);
    const readyzSaid = /the store does not answer \(Error: not connected to Redis/;
    await eventually(() => readyzSaid.test(a.stderr()), 2000, 'the readiness line', 100);
    expect(a.stderr()).not.toMatch(/enableOfflineQueue/);
    expect((await httpGet(a.port, '/healthz')).status).toBe(200);

    await rig.redis.launch();
    await eventually(
      async () => (await httpGet(a.port, '/readyz')).status === 200,
      15_000,
      'A ready',
      100,
    );
    const d = await join(a.url, 'd');
    const party = await d.c.request({ type: 'get_party', party_id: 'party_p1' });
    expect(members(party)).toEqual(expect.arrayContaining(['h', 'x', 'd']));
    // What Redis itself kept: a fresh server reads it back.
    const fresh = await rig.server('fresh');
    const reader = await rig.client(fresh.url);
    await reader.hello();
    // The reader is no member: it is shown the summary (issue 10), which counts them.
    const stored = await reader.request({ type: 'get_party', party_id: 'party_p1' });
    expect(stored.type).toBe('party_summary');
    expect(stored.peer_count).toBeGreaterThanOrEqual(3);
    expect(a.child.exitCode).toBeNull();
  }, 60_000);
});
