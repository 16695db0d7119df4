/**
 * Drives lan-instance.ts inside one namespace of a NetnsLan: sends commands, keeps the
 * latest "Parties nearby" list and party member list it reported, with the time each
 * changed, so tests can assert how long discovery took.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LanParty } from '../lan/browse-cache';
import type { LanHost, NetnsLan } from './netns-lan';

const SCRIPT = fileURLToPath(new URL('./lan-instance.ts', import.meta.url));

interface Line {
  id?: number;
  ok?: boolean;
  result?: unknown;
  error?: string;
  event?: 'nearby' | 'party';
  parties?: LanParty[];
  peers?: string[] | null;
  ready?: boolean;
}

export class LanInstance {
  nearby: LanParty[] = [];
  peers: string[] | null = null;
  private readonly proc: ChildProcess;
  private readonly waiting = new Map<number, (line: Line) => void>();
  private readonly ready: Promise<void>;
  private nextId = 1;
  private stderr = '';
  private markReady: () => void = () => undefined;

  constructor(
    lan: NetnsLan,
    readonly host: LanHost,
  ) {
    this.proc = lan.spawnIn(host, process.execPath, ['--import', 'tsx', SCRIPT], { stdio: 'pipe' });
    this.proc.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.ready = new Promise((resolve, reject) => {
      this.markReady = resolve;
      this.proc.once('exit', (code) =>
        reject(new Error(`instance exited ${code}: ${this.stderr}`)),
      );
    });
    this.ready.catch(() => undefined);
    createInterface({ input: this.proc.stdout! }).on('line', (text) => this.onLine(text));
  }

  started(): Promise<void> {
    return this.ready;
  }

  async call(command: Record<string, unknown>, timeoutMs = 10_000): Promise<unknown> {
    await this.ready;
    const id = this.nextId++;
    const reply = new Promise<Line>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${String(command.op)}: no answer`)),
        timeoutMs,
      );
      this.waiting.set(id, (line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
    this.proc.stdin!.write(`${JSON.stringify({ ...command, id })}\n`);
    const answer = await reply;
    if (!answer.ok) throw new Error(answer.error);
    return answer.result;
  }

  nearbyIds(): string[] {
    return this.nearby.map((p) => p.summary.party_id);
  }

  /** SIGKILL: a crash, no goodbye. */
  async crash(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.kill('SIGKILL');
    await exited;
  }

  private onLine(text: string): void {
    const line = JSON.parse(text) as Line;
    if (line.ready) this.markReady();
    if (line.event === 'nearby') this.nearby = line.parties ?? [];
    if (line.event === 'party') this.peers = line.peers ?? null;
    if (line.id !== undefined) this.waiting.get(line.id)?.(line);
  }
}
