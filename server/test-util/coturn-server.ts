/**
 * Test support: a real coturn `turnserver` (Debian's package; `.ci/run` installs it) on a free
 * loopback port, checking credentials as an operator's relay does (`use-auth-secret` with a
 * static secret), with no TLS, no CLI and no database outside its temp dir. Every wait is
 * bounded; `stop()` kills it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeUdpPort } from './ports';

const START_TIMEOUT_MS = 5000;
/** The line coturn logs (with -v) once its UDP listener is up. */
const LISTENING = /IPv4\. UDP listener opened on\s*: 127\.0\.0\.1:(\d+)/;

export class CoturnTestServer {
  private log = '';

  private constructor(
    readonly port: number,
    readonly realm: string,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (data: Buffer): void => {
      // Bounded: a long test keeps the last 1 MiB.
      this.log = (this.log + data.toString()).slice(-1024 * 1024);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /** What turnserver logged so far (its allocations name their users). */
  output(): string {
    return this.log;
  }

  /**
   * coturn with `config` (an operator's turnserver.conf; default: just `use-auth-secret`) and
   * this secret appended to it as `static-auth-secret=`, as compose.relay.yaml does. Where
   * it listens, relays and logs, and its realm, are set on the command line, which wins.
   * `port`: listen there (a relay that comes back where it was), else on a free one.
   */
  static async start(
    secret: string,
    { realm = 'lanrage.test', config = 'use-auth-secret\n', port = 0 } = {},
  ): Promise<CoturnTestServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-coturn-'));
    if (port === 0) port = await freeUdpPort();
    const file = path.join(dir, 'turnserver.conf');
    fs.writeFileSync(file, `${config}\nstatic-auth-secret=${secret}\n`, { mode: 0o600 });
    // The relay's own ports: a small range from one that was free just now.
    const relayLow = await freeUdpPort();
    const args = [
      ...['-c', file, '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1'],
      ...[`--listening-port=${port}`, `--realm=${realm}`, '--no-tls', '--no-dtls', '--no-cli'],
      ...['--allow-loopback-peers', '--log-file=stdout', '--simple-log', '--no-rfc5780', '-v'],
      ...[`--min-port=${relayLow}`, `--max-port=${Math.min(relayLow + 20, 65535)}`],
      ...[`--userdb=${path.join(dir, 'turndb')}`, `--pidfile=${path.join(dir, 'pid')}`],
    ];
    const child = spawn('turnserver', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new CoturnTestServer(port, realm, dir, child);
    try {
      await server.listening();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  private listening(): Promise<void> {
    const child = this.child;
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`turnserver did not start in ${START_TIMEOUT_MS} ms: ${output}`));
      }, START_TIMEOUT_MS);
      const read = (data: Buffer): void => {
        output += data.toString();
        if (LISTENING.exec(output)?.[1] !== String(this.port)) return;
        clearTimeout(timer);
        resolve();
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`turnserver exited (${code}): ${output}`));
      });
    });
  }

  /** Kills turnserver, waits for it to be gone, removes its temp dir. */
  async stop(): Promise<void> {
    const child = this.child;
    // No pid: it never started (no turnserver installed), so there is nothing to wait for.
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
