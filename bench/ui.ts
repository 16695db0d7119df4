/**
 * `npm run bench:ui [-- --smoke] [-- --out FILE]` (needs `npx electron-vite build` first)
 * The party view in Debian's Chromium; prints a table, writes the results JSON.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { z } from 'zod';
import { stopChildrenOnExit } from './lib/proc';
import { RESULTS_DIR, writeResults } from './lib/results';
import { markdownTable } from './lib/table';
import { FULL_UI, SMOKE_UI, runUiBench, type UiBenchResults } from './ui-bench';

const ArgsSchema = z.object({
  smoke: z.boolean().default(false),
  out: z.string().min(1).default(join(RESULTS_DIR, 'ui.json')),
});

export function uiTable(r: UiBenchResults): string {
  const u = r.update;
  const ms = (s: { p50: number; p95: number; max: number }) => `${s.p50} / ${s.p95} / ${s.max}`;
  const rows = [
    [
      `update_peer: server event → DOM (p50/p95/max ms, ${u.count} updates)`,
      ms(u.server_to_dom_ms),
    ],
    ['update_peer: server event → next frame (p50/p95/max ms)', ms(u.server_to_frame_ms)],
    ['update_peer: sent → DOM (p50/p95/max ms)', ms(u.send_to_dom_ms)],
    ['updates that re-rendered only their own row', `${u.only_target_rerendered}/${u.count}`],
    ['most other rows re-rendered by one update', u.max_other_rows_rerendered],
    [
      `first paint of the party view, ${r.first_paint.rows} rows (ms from navigation)`,
      r.first_paint.party_view_ms,
    ],
    ['first contentful paint (ms)', r.first_paint.fcp_ms],
    [`${r.joins.peers_joined} joins over ws → all rows shown (ms)`, r.joins.all_rows_shown_ms],
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
  const { values } = parseArgs({
    options: { smoke: { type: 'boolean' }, out: { type: 'string' } },
  });
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(
      `bench:ui: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
    process.exit(2);
  }
  const options = {
    ...(parsed.data.smoke ? SMOKE_UI : FULL_UI),
    log: (line: string) => console.error(line),
  };
  const results = await runUiBench(options, parsed.data.smoke);
  writeResults(parsed.data.out, results);
  console.log(uiTable(results));
  console.log(`\nresults: ${parsed.data.out}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
