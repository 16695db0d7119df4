import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from './args';
import { parseAdminArgs } from './admin-command';
import { parseBackupArgs, StateInRedisError } from './backup-command';
import { envName } from './env-flags';
import { TestRig } from '../test-util/support';
import { runServerExpectingExit, spawnServer, type ServerProcess } from '../test-util/process';

const refusal = (argv: string[], env: NodeJS.ProcessEnv): string => {
  try {
    parseCli(argv, env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('server flags from LANRAGE_SERVER_ variables', () => {
  it('names each flag in capitals with underscores', () => {
    expect(envName('port')).toBe('LANRAGE_SERVER_PORT');
    expect(envName('turn-secret-file')).toBe('LANRAGE_SERVER_TURN_SECRET_FILE');
  });

  it('reads a flag not given from its variable, through the same rules', () => {
    const args = parseCli([], {
      LANRAGE_SERVER_PORT: '9000',
      LANRAGE_SERVER_REDIS: 'redis://redis:6379',
      LANRAGE_SERVER_MAX_UNSENT_KIB: '64',
      LANRAGE_SERVER_DATA_DIR: '/data',
      LANRAGE_SERVER_ADMIN_TOKEN_FILE: '/run/secrets/admin-token',
    });
    expect(args).toMatchObject({
      port: 9000,
      redisUrl: 'redis://redis:6379',
      dataDir: '/data',
      adminTokenFile: '/run/secrets/admin-token',
    });
    expect(args.limits.maxBufferedBytes).toBe(64 * 1024);
  });

  it('a flag on the command line wins over its variable', () => {
    expect(parseCli(['--port', '8001'], { LANRAGE_SERVER_PORT: '9000' }).port).toBe(8001);
  });

  it('an empty variable is unset (Compose passes an optional one as ${VAR:-})', () => {
    const args = parseCli([], { LANRAGE_SERVER_HOST: '', LANRAGE_SERVER_TLS_CERT: '' });
    expect(args).toMatchObject({ host: '127.0.0.1', tls: null });
  });

  it('a bad value is refused naming the variable it came from, a flag naming the flag', () => {
    expect(refusal([], { LANRAGE_SERVER_RATE_LIMIT: '-1' })).toBe(
      'LANRAGE_SERVER_RATE_LIMIT "-1": must not be negative',
    );
    expect(refusal(['--rate-limit', '-1'], { LANRAGE_SERVER_RATE_LIMIT: '5' })).toBe(
      '--rate-limit "-1": must not be negative',
    );
    expect(refusal([], { LANRAGE_SERVER_TURN_URL: 'turn:relay.example.org:3478' })).toBe(
      'LANRAGE_SERVER_TURN_URL: needs --turn-secret-file (the secret the relay has)',
    );
    // A Docker `--env-file` keeps quotes, and a blank at the end is invisible: both shown.
    expect(refusal([], { LANRAGE_SERVER_LOG_LEVEL: '"warn"' })).toBe(
      'LANRAGE_SERVER_LOG_LEVEL "\\"warn\\"": must be one of debug, info, warn, error, silent',
    );
    expect(refusal([], { LANRAGE_SERVER_PORT: '8667 ' })).toBe(
      'LANRAGE_SERVER_PORT "8667 ": must be a whole number from 0 (any free port) to 65535',
    );
    expect(refusal([], { LANRAGE_SERVER_HOST: '0.0.0.0 ' })).toBe(
      'LANRAGE_SERVER_HOST "0.0.0.0 ": must be an address or host name, without blanks or quotes',
    );
    // Never a URL that may hold Redis's password.
    expect(refusal([], { LANRAGE_SERVER_REDIS: 'redis:/:hunter2@x' })).toMatch(
      /^LANRAGE_SERVER_REDIS: must be /,
    );
  });

  it('a variable that names no flag is refused, not ignored', () => {
    expect(refusal([], { LANRAGE_SERVER_PROT: '9000', LANRAGE_SERVER_PORT: '1' })).toBe(
      "LANRAGE_SERVER_PROT: not a server setting (each flag's variable is its name, e.g. " +
        'LANRAGE_SERVER_PORT for --port; see --help)',
    );
    // The app's own variables are not the server's.
    expect(parseCli([], { LANRAGE_HOME: '/h', LANRAGE_PEER_NAME: 'x' }).dataDir).toBe('/h/server');
  });

  it('backup finds the data dir of the server it runs beside; its flag wins', () => {
    const env = { LANRAGE_SERVER_DATA_DIR: '/data', LANRAGE_SERVER_PORT: '8667' };
    expect(parseBackupArgs(['out.db'], env)).toEqual(['/data', 'out.db']);
    expect(parseBackupArgs(['out.db', '--data-dir', '/other'], env)).toEqual(['/other', 'out.db']);
  });

  // Its lanrage.db is at best what the server left before Redis: "Backed up 1 party" of none
  // of the live state, or, with no lanrage.db (compose.yaml), not a word of Redis.
  it('backup beside a server on Redis stops, saying how to back Redis up, unless --sqlite', () => {
    const env = { LANRAGE_SERVER_DATA_DIR: '/data', LANRAGE_SERVER_REDIS: 'redis://:pw@redis' };
    const refusal = (argv: string[], vars: NodeJS.ProcessEnv): Error => {
      try {
        parseBackupArgs(argv, vars);
      } catch (error) {
        expect(error).toBeInstanceOf(StateInRedisError);
        return error as Error;
      }
      throw new Error('backup was not refused');
    };
    const fromEnv = refusal(['out.db'], env).message;
    expect(fromEnv).toMatch(/^LANRAGE_SERVER_REDIS is set: .* are in Redis \(redis\)/);
    // The snapshot holds every session token: redis-cli alone writes it 0644.
    expect(fromEnv).toContain('`(umask 077 && redis-cli -h redis -p 6379 --rdb FILE)`');
    expect(fromEnv).toMatch(/readable by you only, as it holds every session token/);
    expect(fromEnv).toMatch(/its AOF file, or the dump\.rdb that BGSAVE writes/);
    expect(fromEnv).toContain('add --sqlite');
    expect(fromEnv).not.toContain('pw');
    const fromFlag = refusal(['out.db', '--redis', 'redis://10.0.0.5:6380'], {}).message;
    expect(fromFlag).toMatch(/^--redis is set: .*redis-cli -h 10\.0\.0\.5 -p 6380 --rdb FILE/);
    expect(parseBackupArgs(['out.db', '--sqlite'], env)).toEqual(['/data', 'out.db']);
  });

  it("admin reads the server's token file when --token-file is not given", () => {
    const env = { LANRAGE_SERVER_ADMIN_TOKEN_FILE: '/run/secrets/admin-token' };
    expect(parseAdminArgs(['parties'], env).tokenFile).toBe('/run/secrets/admin-token');
    expect(parseAdminArgs(['parties', '--token-file', 'mine'], env).tokenFile).toBe('mine');
    expect(() => parseAdminArgs(['parties'], {})).toThrow(
      /^--token-file FILE is required \(or LANRAGE_SERVER_ADMIN_TOKEN_FILE set\)\. Usage: /,
    );
  });
});

describe('a server process configured by its environment alone', () => {
  const rig = new TestRig();
  let proc: ServerProcess | null = null;
  let dir = '';
  afterEach(async () => {
    await rig.cleanup();
    await proc?.kill();
    proc = null;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('listens where its variables say and announces their heartbeat interval', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-env-'));
    proc = await spawnServer([], 20_000, {
      ...process.env,
      LANRAGE_SERVER_PORT: '0',
      LANRAGE_SERVER_DATA_DIR: dir,
      LANRAGE_SERVER_HEARTBEAT_INTERVAL: '7',
      LANRAGE_SERVER_LOG_LEVEL: 'silent',
    });
    const client = await rig.connect(proc.url);
    const welcome = await client.request({ type: 'hello', version: '1.0', client: 'lanrage' });
    expect(welcome).toMatchObject({ type: 'welcome', heartbeat_interval: 7 });
    expect(fs.readdirSync(dir).length).toBeGreaterThan(0);
    expect(proc.stderr()).toBe('');
  });

  it('exits 2 naming a misspelt variable, before opening anything', async () => {
    const { code, stdout, stderr } = await runServerExpectingExit([], [], 15_000, {
      ...process.env,
      LANRAGE_SERVER_PROT: '0',
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^lanrage-server: LANRAGE_SERVER_PROT: not a server setting/);
  });
});
