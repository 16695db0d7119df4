/**
 * Drives lan-app-instance.ts (the real app core) inside one namespace of a NetnsLan: sends
 * commands and keeps the latest state it reported (Parties nearby, my party's members,
 * connection state, why my party ended), so tests can wait for what a user would see.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DiscoveredParty } from '../../../shared/ipc/app-state';
import type { LanHost, NetnsLan } from './netns-lan';
import { bundled } from '../../../server/test-util/bundles';

/** The tail of the app's log kept (a flood must not grow the test's memory). */
const MAX_STDERR = 256 * 1024;

interface Line {
  id?: number;
  ok?: boolean;
  result?: unknown;
  error?: string;
  event?: 'state';
  nearby?: DiscoveredParty[];
  peers?: string[] | null;
  status?: string;
  words?: string;
  plain_link?: boolean;
  lan_blocked?: boolean;
  host_pin?: string | null;
  host_at?: string[] | null;
  ended?: string | null;
  ready?: boolean;
}

export class LanApp {
  nearby: DiscoveredParty[] = [];
  peers: string[] | null = null;
  status = '';
  /** The status bar's sentence. */
  words = '';
  /** Whether the status bar says its link to the party's host is not encrypted. */
  plainLink = false;
  /** Whether Parties nearby says LAN discovery cannot send (status.lanBlocked). */
  lanBlocked = false;
  /** The certificate pin of its party's host PC, which its invite links carry. */
  hostPin: string | null = null;
  /** Where that PC answers over TLS, which its invite links carry beside the pin (`at=`). */
  hostAt: string[] | null = null;
  /** Every sentence it has said, so a test sees a state however briefly it lasted. */
  readonly said = new Set<string>();
  ended: string | null = null;
  private readonly proc: ChildProcess;
  private readonly waiting = new Map<number, (line: Line) => void>();
  private readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;
  private nextId = 1;
  private stderr = '';

  constructor(
    lan: NetnsLan,
    readonly host: LanHost,
    env: Record<string, string> = {},
    /** `--quick-liveness`: a silent link is found lost in 6 s instead of 25. */
    args: string[] = [],
  ) {
    // Made here, not in the child: a child killed with SIGKILL cannot remove its own.
    const home = mkdtempSync(join(tmpdir(), 'lanrage-lan-'));
    this.proc = lan.spawnIn(host, process.execPath, [bundled('lan-app-instance'), ...args], {
      stdio: 'pipe',
      env: {
        ...process.env,
        LANRAGE_PEER_NAME: env.LANRAGE_PEER_NAME ?? host.ns,
        ...env,
        LANRAGE_HOME: home,
      },
    });
    this.proc.once('exit', () => rmSync(home, { recursive: true, force: true }));
    this.proc.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-MAX_STDERR);
    });
    this.ready = new Promise((resolve, reject) => {
      this.markReady = resolve;
      this.proc.once('exit', (code) => reject(new Error(`app exited ${code}: ${this.stderr}`)));
    });
    this.ready.catch(() => undefined);
    createInterface({ input: this.proc.stdout! }).on('line', (text) => this.onLine(text));
  }

  started(): Promise<void> {
    return this.ready;
  }

  async call(command: Record<string, unknown>, timeoutMs = 15_000): Promise<unknown> {
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

  /** What the app logged (its stderr) lately. */
  logged(): string {
    return this.stderr;
  }

  nearbyIds(): string[] {
    return this.nearby.map((p) => p.party_id);
  }

  /** SIGKILL: a crash, no goodbye. */
  async crash(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.kill('SIGKILL');
    await exited;
  }

  private onLine(text: string): void {
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      return; // a stray log line
    }
    if (line.ready) this.markReady();
    if (line.event === 'state') {
      this.nearby = line.nearby ?? [];
      this.peers = line.peers ?? null;
      this.status = line.status ?? '';
      this.words = line.words ?? '';
      this.plainLink = line.plain_link === true;
      this.lanBlocked = line.lan_blocked === true;
      this.hostPin = line.host_pin ?? null;
      this.hostAt = line.host_at ?? null;
      this.said.add(this.words);
      this.ended = line.ended ?? null;
    }
    if (line.id !== undefined) this.waiting.get(line.id)?.(line);
  }
}
