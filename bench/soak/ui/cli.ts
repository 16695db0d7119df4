/**
 * `npm run bench:soak-ui [-- flags]` (`-- --help` lists them; needs `npx electron-vite build`).
 * Its smoke size is enough for the activity list to reach its cap.
 */
import { z } from 'zod';
import { soakFlags } from '../flags';
import { parseFlags, runMain } from '../../lib/cli';
import { stopChildrenOnExit } from '../../lib/proc';
import { finishResults } from '../../lib/results';
import { markdownTable } from '../../lib/table';
import { runUiSoak, SMOKE_WARMUP, type UiSoakResults } from './soak';

const ABOUT = `
The renderer in Debian's Chromium hosting a party through K + S·K cycles of friends joining,
renaming and leaving or being removed. Prints the page's JS heap and DOM counters at each
reading and the targets. Needs \`npx electron-vite build\` first.`;

const ArgsSchema = z.object({
  ...soakFlags("the page's", SMOKE_WARMUP),
});

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

function report(r: UiSoakResults): string {
  const first = r.checkpoints[0]!;
  const rows = r.checkpoints.map((c) => [
    c.cycles,
    mib(c.js_heap_used),
    (c.js_heap_used / first.js_heap_used).toFixed(3),
    mib(c.data_bytes),
    (c.data_bytes / first.data_bytes).toFixed(3),
    c.dom_nodes,
    c.js_event_listeners,
    c.documents,
  ]);
  const header = [
    'cycles',
    'JS heap after GC',
    'ratio',
    'values',
    'ratio',
    'DOM nodes',
    'listeners',
    'documents',
  ];
  const outcomes = Object.entries(r.outcomes).map(([k, v]) => [k, v]);
  return [
    markdownTable(header, rows),
    `\n${markdownTable(['step:outcome', 'count'], outcomes)}`,
    `\nunexpected failures: ${r.failures}`,
    ...(r.first_failure ? [`first failure: ${r.first_failure}`] : []),
    ...r.page_errors.map((e) => `page error: ${e}`),
  ].join('\n');
}

async function main(): Promise<void> {
  stopChildrenOnExit();
  const args = parseFlags('bench:soak-ui', ArgsSchema, ABOUT);
  const results = await runUiSoak({
    warmup: args.smoke ? SMOKE_WARMUP : args.warmup,
    segments: args.smoke ? 1 : args.segments,
    snapshotsDir: args.snapshots ?? null,
    log: (line) => console.error(line),
  });
  console.log(report(results));
  finishResults(results, args.out);
}

runMain(main);
