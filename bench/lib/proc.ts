/**
 * Child processes for benchmarks: start a server and wait for its URL line, read a
 * process's RSS and CPU time from /proc, and stop what was started (only by its pid).
 */
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';

export interface StartedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  /** Everything the process wrote to stderr (bounded), for error reports. */
  stderr(): string;
  stop(): Promise<void>;
}

const STDERR_LIMIT = 16 * 1024;
const started = new Set<ChildProcess>();

/**
 * Entry points call this once: if the bench itself is stopped (Ctrl-C, SIGTERM) or exits,
 * every server it started dies with it instead of lingering on a port.
 */
export function stopChildrenOnExit(): void {
  process.on('exit', () => {
    for (const child of started) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
}

interface StartOptions {
  timeoutMs?: number;
  nodeArgs?: readonly string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Everything the process writes, stdout and stderr, is appended to this file too. */
  outputFile?: string;
}

type PipedChild = ChildProcessByStdio<null, Readable, Readable>;

/**
 * Runs `node --import tsx <script> ...args` directly (not through the tsx CLI, which would
 * add a wrapper process), so `pid` is the process doing the work.
 */
export function startNodeScript(
  script: string,
  args: readonly string[],
  urlPattern: RegExp,
  options: StartOptions = {},
): Promise<StartedProcess> {
  const child = spawnTracked(script, args, options);
  const stderr = captureStderr(child);
  if (options.outputFile !== undefined) copyOutput(child, script, options.outputFile);
  return waitForUrl(child, script, urlPattern, options.timeoutMs ?? 20_000, stderr);
}

/** Spawns the script and remembers it for `stopChildrenOnExit` until it exits. */
function spawnTracked(script: string, args: readonly string[], options: StartOptions): PipedChild {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', script, ...args],
    {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/** Keeps the tail of what the child writes to stderr; returns its reader. */
function captureStderr(child: PipedChild): () => string {
  let errText = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    errText = (errText + chunk).slice(-STDERR_LIMIT);
  });
  return () => errText;
}

/**
 * Appends what the child writes to `file`, after a line naming it, so a flag such as
 * `--trace-gc` (which prints to stdout) can be read after the run.
 */
function copyOutput(child: PipedChild, script: string, file: string): void {
  const out = createWriteStream(file, { flags: 'a' });
  out.once('error', (error) => console.error(`cannot write ${file}: ${error.message}`));
  out.write(`# ${new Date().toISOString()} ${script} (pid ${String(child.pid)})\n`);
  const copy = (chunk: string | Buffer) => out.write(chunk);
  child.stdout.on('data', copy);
  child.stderr.on('data', copy);
  child.once('exit', () => out.end());
}

/** Resolves once stdout matches `urlPattern`; kills the child on timeout or early exit. */
function waitForUrl(
  child: PipedChild,
  script: string,
  urlPattern: RegExp,
  timeoutMs: number,
  stderr: () => string,
): Promise<StartedProcess> {
  return new Promise((resolve, reject) => {
    let outText = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${script}: ${why}\n${stderr()}`));
    };
    const timer = setTimeout(() => fail('no URL line in time'), timeoutMs);
    const onExit = (code: number | null) =>
      fail(`exited (${String(code)}) before printing its URL`);
    child.once('exit', onExit);
    child.stdout.setEncoding('utf8');
    const onData = (chunk: string) => {
      outText += chunk;
      const match = urlPattern.exec(outText);
      if (!match) return;
      clearTimeout(timer);
      // Only this function's listeners: spawnTracked's and copyOutput's stay.
      child.off('exit', onExit);
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve({ child, pid: child.pid!, url: match[0], stderr, stop: () => stopChild(child) });
    };
    child.stdout.on('data', onData);
  });
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Resident set size in bytes (VmRSS), or null when the process is gone. */
export function readRssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

// Linux reports CPU time in clock ticks; 100 per second on every mainstream kernel config.
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time of a process in milliseconds, or null when it is gone. */
export function readCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after its ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU use of several processes over an interval, in % of one core. */
export class CpuMeter {
  private readonly start = new Map<string, number>();
  private readonly startedAt = performance.now();

  constructor(private readonly pids: ReadonlyMap<string, number>) {
    for (const [name, pid] of pids) this.start.set(name, readCpuMs(pid) ?? 0);
  }

  read(): Record<string, number> {
    const elapsed = performance.now() - this.startedAt;
    const out: Record<string, number> = {};
    for (const [name, pid] of this.pids) {
      const used = (readCpuMs(pid) ?? 0) - (this.start.get(name) ?? 0);
      out[name] = elapsed > 0 ? Math.round((used / elapsed) * 1000) / 10 : 0;
    }
    return out;
  }
}
