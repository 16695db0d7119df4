/**
 * `npm run build:server` end to end: build, install the output with `npm ci --omit=dev` in a
 * clean directory outside the repository (so nothing resolves from its node_modules), run it
 * with plain `node`, and speak the protocol to it. The container runs the same files.
 *
 * better-sqlite3 has no reachable prebuilt binary here (GitHub is not), so npm would compile
 * it (~2 minutes on 2 cores). The test hands prebuild-install the binary this repository's
 * own install compiled, as a local prebuild: same version, same Node ABI.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol/protocol';
import { RawClient, httpGet, peerDict } from '../test-util/support';
import { spawnBuiltServer, type ServerProcess } from '../test-util/process';
import { dockerRuntimeEnv, healthcheckCommand } from '../test-util/deploy-files';

const run = promisify(execFile);
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a process of that id still runs (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
const ROOT = path.resolve(import.meta.dirname, '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let tmp: string;
let app: string;

/** A prebuild-install tarball of the repository's compiled better-sqlite3. */
async function localPrebuild(dir: string): Promise<string> {
  const pkg = path.join(ROOT, 'node_modules/better-sqlite3');
  const { version } = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as {
    version: string;
  };
  const abi = process.versions.modules;
  const name = `better-sqlite3-v${version}-node-v${abi}-${process.platform}-${process.arch}.tar.gz`;
  fs.mkdirSync(dir, { recursive: true });
  await run('tar', ['czf', path.join(dir, name), 'build/Release/better_sqlite3.node'], {
    cwd: pkg,
  });
  return dir;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-build-'));
  app = path.join(tmp, 'app');
  await run(NPM, ['run', 'build:server', '--', '--out', app], { cwd: ROOT });
  const prebuilds = await localPrebuild(path.join(tmp, 'prebuilds'));
  await run(NPM, ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: app,
    env: { ...process.env, npm_config_better_sqlite3_local_prebuilds: prebuilds },
    timeout: 240_000,
  });
}, 300_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('npm run build:server', () => {
  it("installs only the server's packages, at the repository's locked versions", () => {
    const installed = fs.readdirSync(path.join(app, 'node_modules'));
    expect(installed).toEqual(
      expect.arrayContaining(['better-sqlite3', 'pino', 'prom-client', 'ws', 'zod']),
    );
    for (const devOnly of ['electron', 'react', 'vite', 'tsx', 'typescript', 'esbuild']) {
      expect(installed, devOnly).not.toContain(devOnly);
    }
    const version = (dir: string, name: string): string =>
      (
        JSON.parse(
          fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8'),
        ) as {
          version: string;
        }
      ).version;
    for (const name of ['better-sqlite3', 'pino', 'prom-client']) {
      expect(version(app, name), name).toBe(version(ROOT, name));
    }
  });

  it('runs with plain node: hello → welcome, register_party → party_update, probes, backup', async () => {
    const data = path.join(tmp, 'data');
    let proc: ServerProcess | null = null;
    let client: RawClient | null = null;
    try {
      proc = await spawnBuiltServer(app, ['--port', '0', '--data-dir', data]);
      client = await RawClient.connect(proc.url);
      const welcome = await client.request({ type: 'hello', version: '1.0', client: 'lanrage' });
      expect(welcome).toMatchObject({
        type: 'welcome',
        version: PROTOCOL_VERSION,
        heartbeat_interval: 30,
      });
      const answer = await client.request({
        type: 'register_party',
        party_id: 'party_built_x',
        name: 'Built',
        host_peer: peerDict('h1'),
      });
      expect(answer.type).toBe('party_update');
      expect(answer.party).toMatchObject({ party_id: 'party_built_x', host_id: 'h1' });
      expect(fs.existsSync(path.join(data, 'lanrage.db'))).toBe(true);
      expect((await httpGet(proc.port, '/healthz')).status).toBe(200);
      expect((await httpGet(proc.port, '/readyz')).status).toBe(200);
      expect((await httpGet(proc.port, '/metrics')).body).toMatch(/^lanrage_parties 1$/m);
      // Logs are pino JSON lines on stderr.
      const first = proc.stderr().split('\n')[0]!;
      expect(JSON.parse(first)).toMatchObject({ level: 30, name: 'lanrage-server' });
      // The backup command runs from the same build, beside the running server.
      const copy = path.join(tmp, 'copy.db');
      const { stdout } = await run(process.execPath, [
        path.join(app, 'cli.js'),
        'backup',
        copy,
        '--data-dir',
        data,
      ]);
      expect(stdout).toMatch(/^Backed up 1 party \(/);
      expect(fs.statSync(copy).size).toBeGreaterThan(0);
      await client.close();
      client = null;
      expect(await proc.kill('SIGTERM')).toBe(0);
    } finally {
      await client?.close();
      await proc?.kill();
    }
  });

  // A service manager sends SIGTERM to the process it started. Started by `npm start`, that is
  // npm: it passed the signal to `sh -c "node …"`, which died, and the server ran on, orphaned,
  // undrained, holding the data dir's lock (seen with npm 11). `exec` makes the server that child.
  it('npm start: a SIGTERM to npm reaches the server, which drains and exits', async () => {
    const data = path.join(tmp, 'npm-start');
    const npm = spawn(
      NPM,
      ['start', '--', '--host', '127.0.0.1', '--port', '0', '--data-dir', data],
      {
        cwd: app,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    npm.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
    npm.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    const until = async (done: () => boolean, ms: number): Promise<boolean> => {
      for (let waited = 0; waited < ms && !done(); waited += 50) await delay(50);
      return done();
    };
    let serverPid: number | undefined;
    try {
      expect(await until(() => /listening on ws:/.test(stdout), 20_000)).toBe(true);
      serverPid = (JSON.parse(stderr.split('\n')[0]!) as { pid: number }).pid;
      npm.kill('SIGTERM');
      await exited;
      expect(await until(() => /SIGTERM: drained/.test(stderr), 5_000)).toBe(true);
      expect(await until(() => !alive(serverPid!), 5_000)).toBe(true);
    } finally {
      npm.kill('SIGKILL');
      if (serverPid !== undefined && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
    }
  });

  it("the Dockerfile runs the build's cli.js with its ENV, and its probe follows the port", async () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    // The runtime stage copies dist/server/ to /app, and starts /app/cli.js.
    expect(dockerfile).toMatch(/^COPY --from=build \/src\/dist\/server\/ \.\/$/m);
    const entry = /^ENTRYPOINT \["node", "\/app\/([^"]+)"\]$/m.exec(dockerfile)?.[1];
    expect(entry).toBe('cli.js');
    expect(fs.existsSync(path.join(app, entry!))).toBe(true);
    // The HEALTHCHECK's command as Docker runs it, in the image's environment, against the
    // built server on a free loopback port (the image's own address and port moved so).
    const [node, ...probe] = healthcheckCommand(dockerfile);
    expect(node).toBe('node');
    const data = fs.mkdtempSync(path.join(tmp, 'probe-'));
    const env = { ...process.env, ...dockerRuntimeEnv(dockerfile), LANRAGE_SERVER_DATA_DIR: data };
    const local = { ...env, LANRAGE_SERVER_HOST: '127.0.0.1', LANRAGE_SERVER_PORT: '0' };
    const proc = await spawnBuiltServer(app, [], 20_000, local);
    try {
      const at = { ...env, LANRAGE_SERVER_PORT: String(proc.port) };
      await expect(run(process.execPath, probe, { env: at })).resolves.toBeDefined();
    } finally {
      await proc.kill();
    }
    const refused = run(process.execPath, probe, {
      env: { ...env, LANRAGE_SERVER_PORT: String(proc.port) },
    });
    await expect(refused).rejects.toMatchObject({ code: 1 });
  });
});
