import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { eventually } from '../../../shared/test-support/eventually';
import { bundled } from '../../../server/test-util/bundles';

interface Reply {
  id?: number;
  ok?: boolean;
  result?: unknown;
  error?: string;
  event?: string;
  partyId?: string;
  peers?: string[] | null;
  reason?: string;
  ready?: boolean;
  hostAway?: boolean;
  asleep?: string[];
}

/** Drives child-instance.ts in a real OS process. */
export class ChildInstance {
  readonly proc: ChildProcessWithoutNullStreams;
  /** Latest peers per party as the child reported them (null = party gone). */
  readonly parties = new Map<string, string[] | null>();
  /** Why each party ended, as the child reported it (party_closed's reason). */
  readonly closeReasons = new Map<string, string>();
  /** Parties whose host the child has asked to let it in, and waits on (join_pending). */
  readonly waitingOn = new Set<string>();
  /** Who the child last knew asleep, per party (protocol 1.12's presence `asleep`). */
  readonly asleep = new Map<string, string[]>();
  /** Every hostAway the child's status reported, in order. */
  readonly hostAway: boolean[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  private readonly ready: Promise<void>;
  private stderr = '';

  constructor(env: Record<string, string>, args: string[] = []) {
    this.proc = spawn(process.execPath, [bundled('child-instance'), ...args], {
      env: { ...process.env, ...env },
      stdio: 'pipe',
    });
    this.proc.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    let markReady: () => void = () => undefined;
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      this.proc.once('exit', (code) => reject(new Error(`child exited ${code}: ${this.stderr}`)));
    });
    // Avoid an unhandled rejection when nobody awaits a child that died early.
    this.ready.catch(() => undefined);
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      const reply = JSON.parse(line) as Reply;
      if (reply.ready) markReady();
      if (reply.event === 'party') this.parties.set(reply.partyId!, reply.peers ?? null);
      if (reply.event === 'party') this.asleep.set(reply.partyId!, reply.asleep ?? []);
      if (reply.reason) this.closeReasons.set(reply.partyId!, reply.reason);
      if (reply.event === 'join_pending') this.waitingOn.add(reply.partyId!);
      if (reply.event === 'status') this.hostAway.push(reply.hostAway === true);
      if (reply.id !== undefined) this.waiting.get(reply.id)?.(reply);
    });
  }

  started(): Promise<void> {
    return this.ready;
  }

  async call(command: Record<string, unknown>): Promise<unknown> {
    await this.ready;
    const id = this.nextId++;
    const reply = new Promise<Reply>((resolve) => this.waiting.set(id, resolve));
    this.proc.stdin.write(`${JSON.stringify({ ...command, id })}\n`);
    const answer = await reply;
    if (!answer.ok) throw new Error(answer.error);
    return answer.result;
  }

  /** Quits as the app does (close: state saved, hosting stopped), then waits for the exit. */
  async quit(): Promise<void> {
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    await this.call({ op: 'close' });
    this.proc.stdin.end();
    await exited;
  }

  /** Ends the process (SIGKILL if it does not close itself) and waits for it. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.kill('SIGKILL');
    await exited;
  }
}

/** Polls `check` until it holds or `timeoutMs` passes (`eventually`); returns the time taken. */
export async function waitFor(
  check: () => boolean,
  timeoutMs: number,
  what = 'the condition',
): Promise<number> {
  const start = Date.now();
  await eventually(check, timeoutMs, what);
  return Date.now() - start;
}
