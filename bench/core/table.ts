/** The core bench's printed tables. */
import type { CoreBenchResults } from './types';
import { markdownTable, type Cell } from '../lib/table';

/** Each operation's rate with persistence on, against the Map-only baseline. */
function opsTable(r: CoreBenchResults): string {
  const ops = Object.entries(r.ops).map(([name, f]): Cell[] => [
    name,
    f.ops,
    f.ops_per_s,
    f.baseline_ops_per_s,
    f.ratio,
    f.disk_writes,
  ]);
  return markdownTable(
    ['operation (persistence on)', 'ops', 'ops/s', 'Map-only ops/s', 'ratio', 'disk writes'],
    ops,
  );
}

export function coreTable(r: CoreBenchResults): string {
  const rows: Cell[][] = [
    ['burst: 10 000 changes in one tick → disk writes', r.burst.writes, 1, r.burst.writes],
    [
      `sustained: 10 000 changes in ${r.sustained.batches} batches over ${r.sustained.duration_ms} ms → writes`,
      r.sustained.writes,
      r.sustained.batches,
      null,
    ],
    [`one save of ${r.scale.peers} peers (ms)`, r.save.ms, r.save.baseline_ms, r.save.ratio],
    [
      `stale sweep, ${r.sweep.peers} peers / ${r.sweep.parties} parties, median ms`,
      r.sweep.median_ms,
      r.sweep.baseline_ms,
      r.sweep.ratio,
    ],
    ['stale sweep removing every peer (ms)', r.sweep.stale_sweep_ms, null, null],
    [
      `load ${r.load.parties} parties: read+parse+validate ms`,
      r.load.parse_ms,
      r.load.baseline_ms,
      r.load.ratio,
    ],
    [`server core start with ${r.load.parties} parties (ms)`, r.load.initialize_ms, null, null],
  ];
  const figures = markdownTable(['figure', 'ours', 'baseline / bound', 'ratio'], rows);
  const targets = markdownTable(
    ['target', 'wants', 'value', ''],
    Object.entries(r.targets).map(([n, t]) => [n, t.target, t.value, t.met ? 'met' : 'MISSED']),
  );
  return `${opsTable(r)}\n\n${figures}\n\n${targets}`;
}
