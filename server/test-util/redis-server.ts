/**
 * Test support: a real `redis-server` (Debian's package; `.ci/run` installs it) on a free
 * loopback port, with append-only persistence fsynced on every write in a temp dir, so a
 * restart keeps what was acknowledged. Every wait is bounded; `stop()` kills it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freeTcpPort } from './ports';

const START_TIMEOUT_MS = 10_000;

export class RedisTestServer {
  private child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    readonly dir: string,
    /** More redis-server arguments (`--requirepass pw`). */
    private readonly extra: readonly string[] = [],
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(extra: readonly string[] = []): Promise<RedisTestServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-redis-'));
    const server = new RedisTestServer(await freeTcpPort(), dir, extra);
    try {
      await server.launch();
    } catch (error) {
      // No server for the caller to clean up: its data dir goes here.
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return server;
  }

  /** Starts redis-server (again) on the same port and data dir. */
  launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir];
    args.push('--appendonly', 'yes', '--appendfsync', 'always', '--save', '');
    args.push('--protected-mode', 'no', '--daemonize', 'no', '--loglevel', 'warning');
    args.push(...this.extra);
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`redis-server did not start: ${output}`));
      }, START_TIMEOUT_MS);
      const poll = (): void => {
        const socket = net.connect(this.port, '127.0.0.1');
        socket.once('connect', () => socket.write('PING\r\n'));
        socket.once('data', (data) => {
          socket.destroy();
          // A Redis with a password answers NOAUTH: it is up all the same.
          if (!/^(\+PONG|-NOAUTH)/.test(data.toString())) return void setTimeout(poll, 50);
          clearTimeout(timer);
          resolve();
        });
        socket.once('error', () => {
          socket.destroy();
          if (child.exitCode === null) setTimeout(poll, 50);
        });
      };
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${output}`));
      });
      poll();
    });
  }

  /**
   * Freezes redis-server (SIGSTOP) or thaws it (SIGCONT): its connections stay open and
   * unanswered, as with a Redis hung or cut off by a network that drops packets.
   */
  freeze(frozen = true): void {
    this.child?.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  /** Kills redis-server (SIGKILL by default: a crash) and waits for it to be gone. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await gone;
  }

  async cleanup(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
