/**
 * bench:soak-app at its smallest (`--smoke`: 10 cycles, then 10 more) as real processes: the
 * app's core in a process of its own under `node --expose-gc`, a control server and the
 * app's friends in the bench's. It must finish, every step of its churn must do what it
 * should (the app sees friends come and go, kicks, answers a join, reconnects, visits and
 * hosts anew), and what the app shows, its handles and its files must be back to their
 * warm-up sizes. Heap figures are printed, not judged, at this size. Once more in local mode,
 * where the app hosts on the server it embeds and its friends connect to it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lanrage-soak-app-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runSoak(out: string, mode: 'remote' | 'local'): Promise<string> {
  const args = ['--import', 'tsx', 'bench/soak/app/cli.ts', '--smoke', '--out', out];
  args.push('--mode', mode);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, timeout: 110_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

const target = z.object({ target: z.string(), value: z.union([z.number(), z.string()]) });
const Results = z.object({
  bench: z.literal('soak-app'),
  options: z.object({ warmup: z.literal(10), segments: z.literal(1) }),
  checkpoints: z
    .array(
      z.object({
        cycles: z.number().int(),
        heap: z.object({ heap_used: z.number().positive() }),
        sizes: z.record(z.string(), z.number().int().min(0)),
      }),
    )
    .length(2),
  outcomes: z.record(z.string(), z.number().int().positive()),
  failures: z.number().int(),
  first_failure: z.string().nullable(),
  targets: z.object({
    live_sizes_flat: target,
    data_heap_ratio: target,
    unexpected_answers: target,
  }),
});

// The two runs wait on timeouts far more than they compute (7 s of CPU in 55 s each): side
// by side they hold a test worker half as long.
describe.concurrent('bench:soak-app', () => {
  it('runs its churn around the app twice and finds nothing the app keeps left behind', async () => {
    const out = join(dir, 'soak-app.json');
    const stdout = await runSoak(out, 'remote');
    const results = Results.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(results.checkpoints.map((c) => c.cycles)).toEqual([10, 20]);
    expect(results.first_failure).toBeNull();
    expect(results.failures).toBe(0);
    expect(results.targets.live_sizes_flat.value).toBe('all flat');
    // Every kind of step ran and did what it should: a missing one would not be judged.
    expect(Object.keys(results.outcomes)).toEqual(
      expect.arrayContaining([
        'app_sees_joins:ok',
        'app_kick:ok',
        'app_unban:ok',
        'app_answer:ok',
        'app_reconnects:ok',
        'app_sees_hub:ok',
        'app_settled:ok',
      ]),
    );
    // The app alone in its party at both checkpoints, with the handles it had.
    const [first, end] = results.checkpoints;
    expect(end!.sizes['party.members']).toBe(1);
    expect(end!.sizes['handles:Timeout']).toBe(first!.sizes['handles:Timeout']);
    expect(end!.sizes['seen:connects']).toBe(2);
    expect(stdout).toContain('heap ratio');
  }, 120_000);

  it('in local mode, finds nothing the app or the server it embeds keeps left behind', async () => {
    const out = join(dir, 'soak-app-local.json');
    await runSoak(out, 'local');
    const results = Results.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(results.first_failure).toBeNull();
    expect(results.failures).toBe(0);
    expect(results.targets.live_sizes_flat.value).toBe('all flat');
    expect(Object.keys(results.outcomes)).toEqual(
      expect.arrayContaining(['app_sees_joins:ok', 'app_answer:ok', 'app_host:ok']),
    );
    // The embedded server's file was read, row by row: a missing one would not be judged.
    const [first, end] = results.checkpoints;
    expect(end!.sizes['store:parties']).toBe(1);
    expect(end!.sizes['store:session_owners']).toBe(first!.sizes['store:session_owners']);
    expect(end!.sizes['handles:TCPServerWrap']).toBe(1);
  }, 120_000);
});
