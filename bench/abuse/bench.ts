/**
 * bench:abuse: a well-behaved client's join latency while each attack runs against a real
 * server process with its production limits, against the same client's figures with no
 * attack, in one run; plus the server's RSS and open descriptors during each phase.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ATTACKS, type AttackName, type AttackReport, type AttackScale } from './attacks';
import { Victim } from './victim';
import { readRssBytes, startNodeScript, type StartedProcess } from '../lib/proc';
import { machineInfo, type MachineInfo } from '../lib/results';
import { ratio, round, summarize, type LatencySummary } from '../lib/stats';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const URL_LINE = /wss?:\/\/\S+\/ws/;

export const FULL_SCALE: AttackScale = {
  idle: 5000,
  slowloris: 2000,
  never_reading: 200,
  big_party: 256,
  creation_flood: 50,
  heartbeat_flood: 200,
  costly_frames: 16,
};
export const SMOKE_SCALE: AttackScale = {
  idle: 50,
  slowloris: 20,
  never_reading: 5,
  big_party: 20,
  creation_flood: 5,
  heartbeat_flood: 10,
  costly_frames: 4,
};

export interface PhaseResult {
  phase: 'quiet' | AttackName;
  join_ms: LatencySummary;
  joins_failed: number;
  first_error: string | null;
  p99_vs_quiet: number | null;
  rss_mb_max: number;
  fds_max: number;
  attack: AttackReport | null;
}

export interface AbuseResults {
  bench: 'abuse';
  machine: MachineInfo;
  scale: AttackScale;
  samples_per_phase: number;
  server_flags: string[];
  phases: PhaseResult[];
  targets: Record<string, { target: string; value: number | boolean; met: boolean }>;
}

export interface AbuseOptions {
  scale: AttackScale;
  samples: number;
  /** Which attacks to run (default: all, in ATTACKS order). */
  attacks?: readonly AttackName[];
  /** Flags for the server's node process (e.g. --cpu-prof). */
  serverNodeArgs?: readonly string[];
  log: (line: string) => void;
}

/** The server's RSS (max) and open descriptors (max) while a phase is measured. */
class ServerMonitor {
  rss = 0;
  fds = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.read();
    this.timer = setInterval(() => this.read(), 200);
  }

  private read(): void {
    this.rss = Math.max(this.rss, readRssBytes(this.pid) ?? 0);
    try {
      this.fds = Math.max(this.fds, readdirSync(`/proc/${this.pid}/fd`).length);
    } catch {
      // The process is gone; the phase will report its failures.
    }
  }

  stop(): { rss_mb_max: number; fds_max: number } {
    clearInterval(this.timer);
    this.read();
    return { rss_mb_max: round(this.rss / 2 ** 20, 1), fds_max: this.fds };
  }
}

/** The attacker process and the one-command-at-a-time conversation with it. */
class Attacker {
  private readonly child: ChildProcess = fork(join(ROOT, 'bench/abuse/attacker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

  private ask(message: object, want: string): Promise<AttackReport | null> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: { type: string; report?: AttackReport; error?: string }) => {
        this.child.off('message', onMessage);
        if (reply.type === want) resolve(reply.report ?? null);
        else reject(new Error(`attacker: ${reply.error ?? reply.type}`));
      };
      this.child.on('message', onMessage);
      this.child.send(message);
    });
  }

  start(name: AttackName, url: string, scale: AttackScale): Promise<AttackReport | null> {
    return this.ask({ type: 'start', name, url, scale }, 'ready');
  }

  stop(): Promise<AttackReport | null> {
    return this.ask({ type: 'stop' }, 'stopped');
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function measurePhase(
  phase: PhaseResult['phase'],
  server: StartedProcess,
  victim: Victim,
  samples: number,
): Promise<Omit<PhaseResult, 'attack' | 'p99_vs_quiet'>> {
  const monitor = new ServerMonitor(server.pid);
  const taken = await victim.sample(samples, 10);
  return {
    phase,
    join_ms: summarize(taken.join_ms),
    joins_failed: taken.failed,
    first_error: taken.first_error,
    ...monitor.stop(),
  };
}

async function runAttack(
  name: AttackName,
  ctx: { server: StartedProcess; victim: Victim; attacker: Attacker; options: AbuseOptions },
): Promise<Omit<PhaseResult, 'p99_vs_quiet'>> {
  const { server, victim, attacker, options } = ctx;
  options.log(`attack ${name}: starting`);
  await attacker.start(name, server.url, options.scale);
  await settle(1000);
  const measured = await measurePhase(name, server, victim, options.samples);
  const attack = await attacker.stop();
  options.log(`attack ${name}: p99 ${measured.join_ms.p99} ms, held ${attack?.held ?? 0}`);
  await settle(1500);
  return { ...measured, attack };
}

/** Production limits; only the data directory is the bench's. */
export function serverFlags(dataDir: string): string[] {
  return ['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir];
}

export async function runAbuseBench(options: AbuseOptions): Promise<AbuseResults> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lanrage-abuse-'));
  const flags = serverFlags(dataDir);
  const server = await startNodeScript(join(ROOT, 'server/cli.ts'), flags, URL_LINE, {
    cwd: ROOT,
    nodeArgs: options.serverNodeArgs ?? [],
  });
  const attacker = new Attacker();
  try {
    const victim = await Victim.start(server.url);
    options.log('quiet: measuring');
    const quiet = await measurePhase('quiet', server, victim, options.samples);
    const phases: PhaseResult[] = [{ ...quiet, attack: null, p99_vs_quiet: 1 }];
    for (const name of options.attacks ?? ATTACKS) {
      const result = await runAttack(name, { server, victim, attacker, options });
      phases.push({ ...result, p99_vs_quiet: ratio(result.join_ms.p99, quiet.join_ms.p99) });
    }
    victim.close();
    return {
      bench: 'abuse',
      machine: machineInfo(),
      scale: options.scale,
      samples_per_phase: options.samples,
      server_flags: flags.filter((f) => f !== dataDir),
      phases,
      targets: targetsOf(phases),
    };
  } finally {
    attacker.kill();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function targetsOf(phases: readonly PhaseResult[]): AbuseResults['targets'] {
  const attacks = phases.filter((p) => p.phase !== 'quiet');
  const worstRatio = Math.max(...attacks.map((p) => p.p99_vs_quiet ?? Infinity));
  const worstRss = Math.max(...phases.map((p) => p.rss_mb_max));
  const failed = phases.reduce((n, p) => n + p.joins_failed, 0);
  return {
    join_p99_within_3x: {
      target: 'join p99 during every attack <= 3x the quiet p99',
      value: round(worstRatio, 2),
      met: worstRatio <= 3,
    },
    rss_under_500mb: {
      target: 'server RSS < 500 MB during every attack',
      value: worstRss,
      met: worstRss < 500,
    },
    every_join_served: {
      target: 'every well-behaved join answered',
      value: failed,
      met: failed === 0,
    },
  };
}
