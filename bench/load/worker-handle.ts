/** The coordinator's side of one forked load worker: typed, timed commands over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../lib/proc';
import { WorkerReplySchema, type WorkerCommand, type WorkerRequest } from './messages';

const WORKER_SCRIPT = fileURLToPath(new URL('./worker.ts', import.meta.url));

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class WorkerHandle {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, Waiting>();
  private seq = 0;

  constructor(readonly name: string) {
    this.child = fork(WORKER_SCRIPT, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (raw) => this.onReply(raw));
    this.child.once('exit', (code, signal) => {
      const why = new Error(`${name} exited (${String(code ?? signal)})`);
      for (const w of this.waiting.values()) {
        clearTimeout(w.timer);
        w.reject(why);
      }
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Sends a command; rejects if the worker does not answer within `timeoutMs`. */
  send(command: WorkerCommand, timeoutMs: number): Promise<unknown> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(seq);
        reject(new Error(`${this.name}: no answer to ${command.cmd} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(seq, { resolve, reject, timer });
      const request: WorkerRequest = { seq, command };
      this.child.send(request);
    });
  }

  async stop(): Promise<void> {
    if (this.child.connected) {
      await this.send({ cmd: 'close' }, 5_000).catch(() => undefined);
    }
    await stopChild(this.child, 3_000);
  }

  private onReply(raw: unknown): void {
    const parsed = WorkerReplySchema.safeParse(raw);
    if (!parsed.success) return;
    const waiting = this.waiting.get(parsed.data.seq);
    if (!waiting) return;
    this.waiting.delete(parsed.data.seq);
    clearTimeout(waiting.timer);
    if (parsed.data.ok) waiting.resolve(parsed.data.value);
    else waiting.reject(new Error(`${this.name}: ${parsed.data.error ?? 'failed'}`));
  }
}
