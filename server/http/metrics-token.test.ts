/**
 * `--metrics-token-file`: `/metrics` answers only a bearer of the secret, so a server on the
 * internet without a proxy tells strangers not even its counts; the probes stay open, as load
 * balancers send no token. In process, then the real CLI given the file by its variable.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../electron/core/test-util/temp-dir';
import { runServerExpectingExit, spawnServer, type ServerProcess } from '../test-util/process';
import { TestRig, httpGet } from '../test-util/support';

const SECRET = 'm'.repeat(40);

/** GET `path` with these headers: status, WWW-Authenticate and body. */
function get(port: number, where: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; challenge: string | undefined; body: string }>(
    (resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: where, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            challenge: res.headers['www-authenticate'],
            body,
          }),
        );
      });
      req.on('error', reject);
    },
  );
}

describe('/metrics behind a token', () => {
  const rig = new TestRig();
  afterEach(() => rig.cleanup());

  it('401 asking for a bearer without the secret; the counts with it; probes stay open', async () => {
    const server = await rig.start({ metricsToken: SECRET });
    const tries: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong' },
      { Authorization: SECRET },
    ];
    for (const headers of tries) {
      const refused = await get(server.port, '/metrics', headers);
      expect(refused).toMatchObject({ status: 401, challenge: 'Bearer' });
      expect(refused.body).not.toMatch(/lanrage_/);
    }
    const read = await get(server.port, '/metrics', { Authorization: `Bearer ${SECRET}` });
    expect(read.status).toBe(200);
    expect(read.body).toMatch(/^lanrage_connections /m);
    expect((await httpGet(server.port, '/healthz')).status).toBe(200);
    expect((await httpGet(server.port, '/readyz')).status).toBe(200);
  });

  it('without the flag /metrics stays open, as before', async () => {
    const server = await rig.start();
    expect((await get(server.port, '/metrics')).status).toBe(200);
  });
});

describe('the CLI', () => {
  let temp: { dir: string; cleanup: () => void };
  let proc: ServerProcess | null = null;
  beforeEach(() => {
    temp = makeTempDir('lanrage-metrics-token-');
  });
  afterEach(async () => {
    await proc?.kill();
    proc = null;
    temp.cleanup();
  });

  const tokenFile = (mode: number) => {
    const file = path.join(temp.dir, 'metrics-token');
    fs.writeFileSync(file, `${SECRET}\n`, { mode });
    fs.chmodSync(file, mode);
    return file;
  };

  it('reads the file named by LANRAGE_SERVER_METRICS_TOKEN_FILE', async () => {
    const env = { ...process.env, LANRAGE_SERVER_METRICS_TOKEN_FILE: tokenFile(0o600) };
    const args = ['--port', '0', '--data-dir', path.join(temp.dir, 'data')];
    proc = await spawnServer(args, 20_000, env);
    expect((await get(proc.port, '/metrics')).status).toBe(401);
    const read = await get(proc.port, '/metrics', { Authorization: `Bearer ${SECRET}` });
    expect(read.status).toBe(200);
  });

  it('a file others may read stops it before it opens, naming the flag', async () => {
    const args = ['--port', '0', '--data-dir', path.join(temp.dir, 'data')];
    const { code, stderr } = await runServerExpectingExit([
      ...args,
      '--metrics-token-file',
      tokenFile(0o644),
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--metrics-token-file .*group or others may access it \(mode 644\)/);
  });
});
