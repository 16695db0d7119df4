/**
 * `npm run bench:ui [-- flags]` (`-- --help` lists them; needs `npx electron-vite build`).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { stopChildrenOnExit } from '../lib/proc';
import { RESULTS_DIR, writeResults } from '../lib/results';
import { round } from '../lib/stats';
import { markdownTable, type Cell } from '../lib/table';
import { FULL_UI, SMOKE_UI, runUiBench } from './bench';
import type { UiBenchResults } from './results';
import { parseFlags, runMain } from '../lib/cli';

const ABOUT = `
The party view in Debian's Chromium against a baseline page: an update to the screen, the first
paint, joins, the bundle's size. Needs \`npx electron-vite build\` first. Prints a table and
writes the results JSON.`;

const ArgsSchema = z.object({
  smoke: z
    .boolean()
    .default(false)
    .describe('8 peers and 3 updates instead of 256 and 40 (CI proves it runs)'),
  out: z.string().min(1).default(join(RESULTS_DIR, 'ui.json')).describe('results JSON'),
});

const ms = (s: { p50: number; p95: number; max: number }) => `${s.p50} / ${s.p95} / ${s.max}`;

/**
 * How one update_peer reaches the screen, app against the baseline page, and what it re-rendered.
 */
function updateRows(u: UiBenchResults['update']): Cell[][] {
  return [
    [
      `update_peer: server event → painted frame, app (p50/p95/max ms, ${u.count} updates)`,
      ms(u.server_to_frame_ms),
    ],
    ['update_peer: server event → painted frame, baseline page', ms(u.baseline_server_to_frame_ms)],
    [
      'app / baseline (p50, p95)',
      `${u.frame_ratio_to_baseline.p50 ?? '–'} / ${u.frame_ratio_to_baseline.p95 ?? '–'}`,
    ],
    [
      'update_peer: server event → DOM, app / baseline (p50/p95/max ms)',
      `${ms(u.server_to_dom_ms)} · ${ms(u.baseline_server_to_dom_ms)}`,
    ],
    ['update_peer: sent → DOM, app (p50/p95/max ms)', ms(u.send_to_dom_ms)],
    [
      'server event → painted frame, profiling build (p50/p95/max ms)',
      ms(u.profiling_build_server_to_frame_ms),
    ],
    [
      'updates that re-rendered their row / only their row',
      `${u.target_row_rerendered} / ${u.only_target_rerendered} of ${u.count}`,
    ],
    ['most other rows re-rendered by one update', u.max_other_rows_rerendered],
  ];
}

export function uiTable(r: UiBenchResults): string {
  const kb = (bytes: number) => `${round(bytes / 1024, 1)} kB`;
  const rows = [
    ...updateRows(r.update),
    [
      `party view painted with ${r.first_paint.rows} rows (ms from navigation, median of ${r.first_paint.runs})`,
      r.first_paint.party_view_ms,
    ],
    ['first contentful paint (ms)', r.first_paint.fcp_ms ?? '–'],
    [`${r.joins.peers_joined} joins → all rows shown (ms)`, r.joins.all_rows_shown_ms],
    [
      'renderer bundle: JS (gzip) · CSS',
      `${kb(r.bundle.js_bytes)} (${kb(r.bundle.js_gzip_bytes)}) · ${kb(r.bundle.css_bytes)}`,
    ],
  ];
  const targets = Object.entries(r.targets).map(([n, t]) => [
    n,
    t.target,
    String(t.value),
    t.met ? 'met' : 'MISSED',
  ]);
  return `${markdownTable([`party of ${r.peers}`, 'value'], rows)}\n\n${markdownTable(['target', 'wants', 'value', ''], targets)}`;
}

async function main(): Promise<void> {
  stopChildrenOnExit();
  const args = parseFlags('bench:ui', ArgsSchema, ABOUT);
  const options = {
    ...(args.smoke ? SMOKE_UI : FULL_UI),
    log: (line: string) => console.error(line),
  };
  const results = await runUiBench(options, args.smoke);
  writeResults(args.out, results);
  console.log(uiTable(results));
  console.log(`\nresults: ${args.out}`);
}

runMain(main);
