/** Test helper: the real server CLI as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { bundled } from './bundles';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The server's bundle, run in the checkout as `npm start` runs its source. */
const serverArgs = (): string[] => [bundled('cli')];
const LISTENING = /^LANrage control server listening on (wss?:\/\/\S+)$/m;

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  stderr: () => string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/** `env`: the server's whole environment (the test's own by default). */
export function spawnServer(
  args: string[],
  timeoutMs = 20_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerProcess> {
  return spawnCli([...serverArgs(), ...args], ROOT, timeoutMs, env);
}

/** A server built by `npm run build:server` into `dir`, run with plain `node` there. */
export function spawnBuiltServer(
  dir: string,
  args: string[],
  timeoutMs = 20_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerProcess> {
  return spawnCli([path.join(dir, 'cli.js'), ...args], dir, timeoutMs, env);
}

function spawnCli(
  nodeArgs: string[],
  cwd: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, nodeArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const kill = (signal: NodeJS.Signals = 'SIGKILL'): Promise<number | string> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void kill();
      reject(new Error(`server did not start: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = LISTENING.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1]!;
      resolve({ child, url, port: Number(new URL(url).port), stderr: () => stderr, exited, kill });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${stderr}`));
    });
  });
}

/**
 * Runs the CLI expecting it to fail fast; resolves with its exit code and stderr. `prefix`
 * runs it through another command (WITHOUT_PRIVILEGES). A server that starts instead (the
 * failure under test gone) is killed after `limitMs`, its code then SIGKILL: the test fails
 * on it, and no server is left running.
 */
export function runServerExpectingExit(
  args: string[],
  prefix: readonly string[] = [],
  limitMs = 15_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | string; stderr: string; stdout: string }> {
  const command = [...prefix, process.execPath, ...serverArgs(), ...args];
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code: code ?? signal ?? -1, stderr, stdout });
    }),
  );
}

/**
 * How a test runs the server so that a read-only file stops it: as root (CI) without any
 * capability, so that file modes bind it as they bind a server's own user (root writes
 * anything otherwise); as anyone else, as is. Not as `nobody`: it may not even reach the
 * checkout (a clone under a 0700 temp dir).
 */
export const WITHOUT_PRIVILEGES: readonly string[] =
  process.getuid?.() === 0 ? ['setpriv', '--inh-caps=-all', '--bounding-set=-all', '--'] : [];
