/**
 * `--turn-url`, `--turn-secret-file`, `--turn-ttl`: each bad value, and half a relay, is one
 * line naming the flag (exit 2, nothing started); the secret's file is checked like the admin
 * token's; the start-up log names the relays and never the secret.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from './args';
import { readTurnRelay } from './turn-flags';
import { cliRefusal } from '../test-util/cli-refusal';
import { runServerExpectingExit, spawnServer, type ServerProcess } from '../test-util/process';

const SECRET = 'f'.repeat(40);
let dir = '';
let server: ServerProcess | null = null;

afterEach(async () => {
  await server?.kill();
  server = null;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function secretFile(text: string, mode = 0o600): string {
  dir ||= fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-turn-'));
  const file = path.join(dir, `secret-${mode.toString(8)}`);
  fs.writeFileSync(file, text, { mode });
  fs.chmodSync(file, mode);
  return file;
}

const refusal = cliRefusal;

const URL_FLAG = ['--turn-url', 'turn:relay.example.org:3478'];
const FILE_FLAG = ['--turn-secret-file', '/etc/lanrage/turn-secret'];

describe('the relay flags', () => {
  it.each([
    [URL_FLAG, '--turn-url: needs --turn-secret-file (the secret the relay has)'],
    [
      FILE_FLAG,
      '--turn-secret-file "/etc/lanrage/turn-secret": needs --turn-url (the relay it is for)',
    ],
    [['--turn-ttl', '600'], '--turn-ttl "600": needs --turn-url and --turn-secret-file'],
    [
      ['--turn-url', 'turn:ok:3478,https://relay.example.org', ...FILE_FLAG],
      '--turn-url: https://relay.example.org: must be a turn: or turns: address (turn:host:port)',
    ],
    [
      ['--turn-url', 'turn:a:3478,turn:user@b:3478', ...FILE_FLAG],
      '--turn-url: turn:user@b:3478: must be a turn: or turns: address (turn:host:port)',
    ],
    [['--turn-url', 'turn:a,', ...FILE_FLAG], '--turn-url: an empty address (a comma too many?)'],
    [['--turn-url', 'turn:a,turn:a', ...FILE_FLAG], '--turn-url: turn:a: given twice'],
    [
      ['--turn-url', 'turn:a:65536', ...FILE_FLAG],
      '--turn-url: turn:a:65536: the port must be 1–65535',
    ],
    [
      ['--turn-url', 'turns:[2001:db8::1]:99999?transport=tcp', ...FILE_FLAG],
      '--turn-url: turns:[2001:db8::1]:99999?transport=tcp: the port must be 1–65535',
    ],
    [
      ['--turn-url', 'turn:a,turn:b,turn:c,turn:d,turn:e', ...FILE_FLAG],
      '--turn-url: at most 4 addresses',
    ],
    [[...URL_FLAG, ...FILE_FLAG, '--turn-ttl', '59'], '--turn-ttl "59": must be 60–604800 seconds'],
    [
      [...URL_FLAG, ...FILE_FLAG, '--turn-ttl', '604801'],
      '--turn-ttl "604801": must be 60–604800 seconds',
    ],
    [
      [...URL_FLAG, ...FILE_FLAG, '--turn-ttl', '1.5'],
      '--turn-ttl "1.5": must be a whole number of seconds',
    ],
    [[...URL_FLAG, ...FILE_FLAG, '--turn-ttl', '-60'], '--turn-ttl "-60": must not be negative'],
  ])('%j: %s', (argv, message) => {
    expect(refusal(argv)).toBe(message);
  });

  it('reads the addresses, the file and the ttl (an hour unless given); none without them', () => {
    expect(parseCli([], {}).turn).toBeNull();
    const urls = 'turn:relay.example.org:3478, turns:relay.example.org:5349?transport=tcp';
    expect(parseCli(['--turn-url', urls, ...FILE_FLAG], {}).turn).toEqual({
      urls: ['turn:relay.example.org:3478', 'turns:relay.example.org:5349?transport=tcp'],
      secretFile: '/etc/lanrage/turn-secret',
      ttlSeconds: 3600,
    });
    const edge = 'turn:[2001:db8::1]:65535,turn:relay.example.org:1?transport=tcp';
    expect(parseCli(['--turn-url', edge, ...FILE_FLAG], {}).turn?.urls).toHaveLength(2);
    expect(parseCli([...URL_FLAG, ...FILE_FLAG, '--turn-ttl', '600'], {}).turn?.ttlSeconds).toBe(
      600,
    );
  });
});

describe('--turn-secret-file', () => {
  const relay = (file: string) =>
    readTurnRelay({ urls: ['turn:a:3478'], secretFile: file, ttlSeconds: 600 });

  it('takes the secret without the blanks at its ends, which coturn drops from its config', () => {
    expect(relay(secretFile(`  ${SECRET} \n`)).secret).toBe(SECRET);
  });

  it.each([
    [
      'world-readable',
      () => secretFile(SECRET, 0o644),
      /group or others may access it .*chmod 600/,
    ],
    ['empty', () => secretFile(' \n'), /: the secret is empty \(e\.g\. openssl rand -hex 32 > /],
    ['short', () => secretFile('s3cret\n'), /: the secret must be at least 32 characters/],
    [
      'missing',
      () => path.join(os.tmpdir(), 'lanrage-no-such-secret'),
      /cannot be read \(ENOENT\)/,
    ],
  ])('refuses a file that is %s, naming the flag and the file', (_, file, message) => {
    const given = file();
    expect(() => relay(given)).toThrow(message);
    expect(() => relay(given)).toThrow(`--turn-secret-file ${given}: `);
  });
});

describe('the server process with a relay', () => {
  it('refuses half a relay or an unfit secret file in one line, exit 2, before listening', async () => {
    const [half, open] = await Promise.all([
      runServerExpectingExit(['--port', '0', ...URL_FLAG]),
      runServerExpectingExit([
        '--port',
        '0',
        ...URL_FLAG,
        '--turn-secret-file',
        secretFile(SECRET, 0o640),
      ]),
    ]);
    expect([half.code, half.stdout, half.stderr.split('\n')[0]]).toEqual([
      2,
      '',
      'lanrage-server: --turn-url: needs --turn-secret-file (the secret the relay has)',
    ]);
    expect([open.code, open.stdout]).toEqual([2, '']);
    expect(open.stderr).toMatch(
      /^lanrage-server: --turn-secret-file \S+: group or others may access it \(mode 640\); chmod 600 \S+\n$/,
    );
  });

  it('says at start that relays are on, naming them and the ttl, and never the secret', async () => {
    const urls = 'turn:relay.example.org:3478,turns:relay.example.org:5349';
    const file = secretFile(`${SECRET}\n`);
    server = await spawnServer([
      ...['--port', '0', '--data-dir', path.join(dir, 'data')],
      ...['--turn-url', urls, '--turn-secret-file', file, '--turn-ttl', '900'],
    ]);
    expect(server.stderr()).toMatch(
      /"level":30,.*"msg":"Relays on: members get TURN credentials for turn:relay\.example\.org:3478, turns:relay\.example\.org:5349, each lasting 900 s"/,
    );
    expect(server.stderr()).not.toContain(SECRET);
  });
});
