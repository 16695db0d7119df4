/**
 * The real server process with `--admin-token-file`, and the `admin` CLI against it: the
 * checks on the secret's file, the table, ending a party so that a restart after SIGKILL
 * still has it gone, and each failure as one line with exit 2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freeTcpPort } from '../test-util/ports';
import { makeTestCertificate } from '../test-util/certificate';
import { runServerExpectingExit, spawnServer, type ServerProcess } from '../test-util/process';
import { hostParty, peerDict, RawClient } from '../test-util/support';

const SECRET = 'b'.repeat(48);
let dir = '';
const servers: ServerProcess[] = [];
const clients: RawClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.kill()));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function tempFile(name: string, text: string, mode: number): string {
  dir ||= fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-admin-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text, { mode });
  fs.chmodSync(file, mode);
  return file;
}

const startArgs = (tokenFile: string) => [
  '--port',
  '0',
  '--data-dir',
  path.join(dir, 'data'),
  '--admin-token-file',
  tokenFile,
];

/** `npm run server -- admin …` against `port`; resolves with its code and output. */
const cli = (port: number, tokenFile: string, ...args: string[]) =>
  runServerExpectingExit([
    'admin',
    ...args,
    '--url',
    `http://127.0.0.1:${port}`,
    '--token-file',
    tokenFile,
  ]);

describe('--admin-token-file', () => {
  it.each([
    [
      'missing',
      () => path.join(dir, 'none'),
      /--admin-token-file .*none: cannot be read \(ENOENT\)/,
    ],
    ['too short', () => tempFile('short', 'x'.repeat(31) + '\n', 0o600), /at least 32 characters/],
    [
      'world-readable',
      () => tempFile('w', SECRET, 0o604),
      /group or others may access it \(mode 604\)/,
    ],
    ['group-readable', () => tempFile('g', SECRET, 0o640), /chmod 600/],
  ])('%s: the server does not start, exit 2 with the reason', async (_, file, message) => {
    tempFile('ok', SECRET, 0o600);
    const { code, stderr, stdout } = await runServerExpectingExit(startArgs(file()));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).toBe('');
  });
});

describe('the admin CLI against a real server', () => {
  it('prints the table, ends a party for its members, and it stays gone after a kill', async () => {
    const tokenFile = tempFile('token', `${SECRET}\n`, 0o600);
    const server = await spawnServer(startArgs(tokenFile));
    servers.push(server);
    const host = await RawClient.connect(server.url);
    const member = await RawClient.connect(server.url);
    clients.push(host, member);
    await hostParty(host, 'party_cli1', 'h');
    await member.hello();
    await member.request({ type: 'join_party', party_id: 'party_cli1', peer: peerDict('m') });

    const listed = await cli(server.port, tokenFile, 'parties');
    expect(listed.code).toBe(0);
    const [head, row, ...rest] = listed.stdout.trimEnd().split('\n');
    expect(head).toMatch(/^PARTY ID\s+NAME\s+HOST\s+PEERS\s+VISIBILITY\s+JOIN\s+LOCKED\s+CREATED$/);
    expect(row).toMatch(/^party_cli1\s+P\s+Player h\s+2\/\d+\s+private\s+open\s+no\s+20\d\d-/);
    expect(rest).toEqual([]);

    const ended = await cli(server.port, tokenFile, 'end-party', 'party_cli1');
    expect([ended.code, ended.stdout]).toEqual([
      0,
      expect.stringContaining('Ended party party_cli1'),
    ]);
    expect(await member.nextOfType('party_closed')).toMatchObject({ reason: 'ended_by_server' });
    // The log line travels apart from the answer: waited for, not read at once.
    await vi.waitFor(
      () =>
        expect(server.stderr()).toMatch(
          /"level":30.*party party_cli1 ended by the operator at 127\.0\.0\.1/,
        ),
      { timeout: 5000, interval: 20 },
    );

    // Killed without a drain: what was answered was already written.
    await server.kill('SIGKILL');
    const again = await spawnServer(startArgs(tokenFile));
    servers.push(again);
    const after = await cli(again.port, tokenFile, 'parties');
    expect([after.code, after.stdout]).toEqual([0, 'No parties.\n']);
    const gone = await cli(again.port, tokenFile, 'end-party', 'party_cli1');
    expect([gone.code, gone.stderr]).toEqual([
      2,
      'lanrage-server admin: party party_cli1 not found (404)\n',
    ]);
  });

  it('says a wrong token, an unreachable server or bad flags in one line, exit 2', async () => {
    const tokenFile = tempFile('token', SECRET, 0o600);
    const server = await spawnServer(startArgs(tokenFile));
    servers.push(server);
    const wrong = tempFile('wrong', 'c'.repeat(40), 0o600);
    const port = await freeTcpPort();
    const cases: Array<[Promise<{ code: number | string; stderr: string }>, RegExp]> = [
      [cli(server.port, wrong, 'parties'), /refused the token \(401\)/],
      [cli(port, tokenFile, 'parties'), /cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/],
      [cli(server.port, tokenFile, 'kick'), /unknown command "kick"/],
      [runServerExpectingExit(['admin', 'parties', '--bogus']), /Unknown option '--bogus'/],
      [
        runServerExpectingExit(['admin', 'parties', '--url', 'ftp://x', '--token-file', tokenFile]),
        /--url: must be an http\(s\) URL/,
      ],
    ];
    for (const [run, message] of cases) {
      const { code, stderr } = await run;
      expect(code).toBe(2);
      expect(stderr).toMatch(/^lanrage-server admin: [^\n]+\n$/);
      expect(stderr).toMatch(message);
    }
  });

  it('speaks https to a server with TLS, trusting its certificate by NODE_EXTRA_CA_CERTS', async () => {
    const tokenFile = tempFile('token', SECRET, 0o600);
    const [certFile, keyFile] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
    makeTestCertificate(certFile, keyFile);
    const tls = ['--tls-cert', certFile, '--tls-key', keyFile];
    const server = await spawnServer([...startArgs(tokenFile), ...tls]);
    servers.push(server);
    expect(server.url).toMatch(/^wss:/);
    const args = ['admin', 'parties', '--url', server.url, '--token-file', tokenFile];
    const untrusted = await runServerExpectingExit(args);
    expect([untrusted.code, untrusted.stderr]).toEqual([
      2,
      expect.stringMatching(
        /cannot reach https:.*not trusted; give its CA with NODE_EXTRA_CA_CERTS/,
      ),
    ]);
    // http:// to it said only "(ECONNRESET)".
    const plain = ['admin', 'parties', '--url', `http://127.0.0.1:${server.port}`];
    const overHttp = await runServerExpectingExit([...plain, '--token-file', tokenFile]);
    expect([overHttp.code, overHttp.stderr]).toEqual([
      2,
      expect.stringMatching(/cannot reach http:.*if the server has --tls-cert, use https:\/\//),
    ]);
    process.env.NODE_EXTRA_CA_CERTS = certFile;
    try {
      expect(await runServerExpectingExit(args)).toMatchObject({
        code: 0,
        stdout: 'No parties.\n',
      });
    } finally {
      delete process.env.NODE_EXTRA_CA_CERTS;
    }
  });
});
