/**
 * CI proof that the benches still work: each runs once at its smallest scale as a real
 * process and must write a well-formed results file with every figure present. Timing
 * thresholds are deliberately not asserted: CI machines vary too much.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lanrage-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runBench(script: string, out: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, script), '--smoke', '--out', out],
      { cwd: ROOT, timeout: 90_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

const num = z.number().finite();
const latency = z.object({
  count: z.number().int().positive(),
  p50: num,
  p95: num,
  p99: num,
  max: num,
});
const machine = z.object({
  cores: z.number().int().positive(),
  node: z.string().startsWith('v'),
  date: z.string(),
});
const target = z.object({ target: z.string(), met: z.boolean() });

const scaleSchema = z.object({
  peers: z.literal(100),
  connect: z.object({ connected: z.literal(100), failed: z.literal(0), per_s: num.positive() }),
  form: z.object({ joined: z.literal(100), joins_per_s: num.positive() }),
  rss: z.object({ idle_mb: num.positive(), held_mb: num.positive(), per_peer_kb: num }),
  latency: z.object({
    join_fanout_ms: latency,
    cycles: z.number().int().positive(),
    failed: z.literal(0),
  }),
  throughput: z.object({
    deliveries_per_s: num.positive(),
    failed: z.literal(0),
    bottleneck: z.string(),
    cpu: z.record(z.string(), num),
  }),
  heartbeat_burst: z.object({
    acks_per_s: num.positive(),
    rtt_ms: latency,
    failed: z.literal(0),
    presence_pushes: z.number().int().min(0),
    settle_ms: num.positive(),
    settle_pushes: z.number().int().min(0),
  }),
  heartbeat_hold: z.object({
    open_sockets: z.literal(100),
    failed: z.literal(0),
    acked: z.number().int().positive(),
    presence_pushes: z.number().int().min(0),
  }),
});
const ServerResults = z.object({
  bench: z.literal('server'),
  machine,
  repeat: z.literal(1),
  ours_store: z.literal('sqlite'),
  scales: z
    .array(
      z.object({
        raw: scaleSchema,
        ours: scaleSchema,
        durability: z.object({ ok: z.literal(true), parties_checked: z.literal(13) }),
        ratios: z.object({
          connect_rate: num,
          fanout_throughput: num,
          join_fanout_p99: num,
          heartbeat_throughput: num,
          rss_per_peer: num,
        }),
      }),
    )
    .length(1),
  targets: z.record(z.string(), target),
});

const op = z.object({
  ops: z.number().int().positive(),
  ops_per_s: num.positive(),
  baseline_ops_per_s: num.positive(),
  ratio: num,
  // Heartbeats are soft state, written in batches every 5 s: a short run may write none.
  disk_writes: z.number().int().min(0),
});
const CoreResults = z.object({
  bench: z.literal('core'),
  machine,
  ops: z.object({ join: op, heartbeat: op, update: op, leave: op }),
  burst: z.object({ changes: z.literal(10_000), writes: z.number().int().min(1) }),
  sustained: z.object({ writes: z.number().int().min(1), batches: z.number().int().min(1) }),
  save: z.object({
    ms: num.positive(),
    baseline_ms: num.positive(),
    bytes: z.number().int().positive(),
  }),
  sweep: z.object({ peers: z.literal(100), median_ms: num, stale_sweep_ms: num, baseline_ms: num }),
  load: z.object({
    parties: z.literal(20),
    initialize_ms: num.positive(),
    parse_ms: num.positive(),
    baseline_ms: num,
  }),
  targets: z.record(z.string(), target),
});

const phase = z.object({
  phase: z.string(),
  join_ms: latency,
  joins_failed: z.literal(0),
  rss_mb_max: num.positive(),
  fds_max: z.number().int().positive(),
  p99_vs_quiet: num,
});
const held = (n: number) => z.object({ held: z.literal(n), sent: z.number().int().min(0) });
const AbuseResults = z.object({
  bench: z.literal('abuse'),
  machine,
  samples_per_phase: z.literal(20),
  phases: z.tuple([
    phase.extend({ phase: z.literal('quiet'), attack: z.null() }),
    phase.extend({ phase: z.literal('idle'), attack: held(50) }),
    phase.extend({ phase: z.literal('slowloris'), attack: held(20) }),
    phase.extend({ phase: z.literal('never_reading'), attack: held(5) }),
    phase.extend({
      phase: z.literal('creation_flood'),
      // The per-address quota refuses the flood: 20 at once, then 20 a minute, from one address.
      attack: held(5).extend({
        answers: z.object({
          party_update: z.number().int().min(20).max(40),
          'error:quota_exceeded': z.number().int().positive(),
        }),
      }),
    }),
    phase.extend({ phase: z.literal('heartbeat_flood'), attack: held(10) }),
    // Refused before they are read: by their size and shape, or by the address's budget.
    phase.extend({
      phase: z.literal('costly_frames'),
      attack: z.object({
        sent: z.number().int().positive(),
        answers: z
          .object({ 'error:bad_request': z.number().int().positive() })
          .catchall(z.number().int()),
      }),
    }),
  ]),
  targets: z.record(z.string(), target),
});

const costRow = z.object({
  scenario: z.enum(['heartbeat', 'leave_join']),
  party_size: z.literal(8),
  members: z.number().int().positive(),
  ours_us: num.positive(),
  raw_us: num.positive(),
  ratio: num.positive(),
  extra_us: num,
  frames_per_message: num.positive(),
});
const CostResults = z.object({
  bench: z.literal('cost'),
  machine,
  smoke: z.literal(true),
  evict_kib: z.literal(0),
  rows: z.tuple([
    costRow.extend({ scenario: z.literal('heartbeat'), frames_per_message: z.literal(1) }),
    // A leave and a join in a party of 8: an answer and 7 events each.
    costRow.extend({ scenario: z.literal('leave_join'), frames_per_message: z.literal(16) }),
  ]),
  targets: z.array(target),
});

describe('benchmarks at their smallest scale', () => {
  it('bench:cost measures our handlers against the raw baseline on the same frames', async () => {
    const out = join(dir, 'cost.json');
    const stdout = await runBench('bench/cost/cli.ts', out);
    CostResults.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(stdout).toContain('ours/raw');
  });

  it('bench:core writes a complete results file and prints its table', async () => {
    const out = join(dir, 'core.json');
    const stdout = await runBench('bench/core/cli.ts', out);
    CoreResults.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(stdout).toContain('stale sweep');
  });

  it('bench:server measures raw ws and our server and writes a complete results file', async () => {
    const out = join(dir, 'server.json');
    const stdout = await runBench('bench/server/cli.ts', out);
    ServerResults.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(stdout).toContain('ratio ours/raw');
  }, 90_000);

  it('bench:abuse measures the client under every attack and writes a complete results file', async () => {
    const out = join(dir, 'abuse.json');
    const stdout = await runBench('bench/abuse/cli.ts', out);
    AbuseResults.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(stdout).toContain('slowloris');
  }, 90_000);
});
