/**
 * The soak's side of the app under soak: starts instance.ts in a process of its own under
 * `node --expose-gc` (so its heap is the app's alone), with its home and environment, and
 * sends it commands (instance-protocol.ts). Every command has a deadline; a process that
 * dies fails every command waiting on it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { HeapReading } from '../heap';
import type { AppEntryCosts } from './by-design';
import { ReplySchema, type CommandBody, type Until } from './instance-protocol';

const SCRIPT = fileURLToPath(new URL('./instance.ts', import.meta.url));
const COMMAND_TIMEOUT_MS = 60_000;

export interface AppReading {
  heap: HeapReading;
  sizes: Record<string, number>;
}

interface Waiting {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class AppProcess {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private exited: Error | null = null;

  private constructor(
    proc: ChildProcessWithoutNullStreams,
    readonly peerId: string,
  ) {
    this.proc = proc;
  }

  /**
   * Starts the app with `env` on top of this process's and `nodeArgs` given to its Node
   * (e.g. `--max-opt=1`); resolves once it is ready.
   */
  static start(env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<AppProcess> {
    const args = ['--expose-gc', ...nodeArgs, '--import', 'tsx', SCRIPT];
    const proc = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: 'pipe',
    });
    return new Promise((resolve, reject) => {
      let app: AppProcess | null = null;
      let stderr = '';
      proc.stderr.on(
        'data',
        (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)),
      );
      proc.once('exit', (code) => {
        const error = new Error(`the app exited (${code}): ${stderr}`);
        if (app) app.fail(error);
        else reject(error);
      });
      createInterface({ input: proc.stdout }).on('line', (line) => {
        const reply = ReplySchema.safeParse(JSON.parse(line));
        if (!reply.success) return;
        if ('ready' in reply.data) resolve((app = new AppProcess(proc, reply.data.peer_id)));
        else app?.answer(reply.data);
      });
    });
  }

  private answer(reply: { id: number | null; ok: boolean; result?: unknown; error?: string }) {
    const waiting = reply.id === null ? undefined : this.waiting.get(reply.id);
    if (reply.id !== null) this.waiting.delete(reply.id);
    if (!waiting) return;
    if (reply.ok) waiting.resolve(reply.result ?? null);
    else waiting.reject(new Error(reply.error ?? 'failed'));
  }

  private fail(error: Error): void {
    this.exited = error;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }

  send(body: CommandBody): Promise<unknown> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no answer to ${JSON.stringify(body)} in ${COMMAND_TIMEOUT_MS} ms`));
      }, COMMAND_TIMEOUT_MS);
      const done = (fn: () => void) => () => (clearTimeout(timer), fn());
      this.waiting.set(id, {
        resolve: (result) => done(() => resolve(result))(),
        reject: (error) => done(() => reject(error))(),
      });
      this.proc.stdin.write(`${JSON.stringify({ ...body, id })}\n`);
    });
  }

  /** An IPC call as the UI makes it; throws with the app's error code and message. */
  call(channel: string, request: unknown = {}): Promise<unknown> {
    return this.send({ op: 'call', channel, request });
  }

  wait(until: Until, timeoutMs = 20_000): Promise<unknown> {
    return this.send({ op: 'wait', until, timeout_ms: timeoutMs });
  }

  async checkpoint(snapshot?: string): Promise<AppReading> {
    return (await this.send({ op: 'checkpoint', snapshot })) as AppReading;
  }

  /** Measured in the app's process after the run: it grows the heap by ~10 MB. */
  async costs(): Promise<AppEntryCosts> {
    return (await this.send({ op: 'costs' })) as AppEntryCosts;
  }

  /** Quits as the app does; SIGKILL if it has not exited 10 s later. */
  async quit(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise((resolve) => this.proc.once('exit', resolve));
    await this.send({ op: 'quit' }).catch(() => undefined);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}
