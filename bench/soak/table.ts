/** bench:soak's tables: the heap at each checkpoint, then the structures that changed. */
import { markdownTable, type Cell } from '../lib/table';
import { dataHeap, type HeapReading } from './heap';
import type { SoakResults } from './soak';

/** What the heap and sizes tables read: the server soak's checkpoints or the app soak's. */
interface Checkpoints {
  checkpoints: readonly {
    cycles: number;
    elapsed_s: number;
    heap: HeapReading;
    sizes: Record<string, number | null>;
  }[];
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(2);

/** Cycles, heap after GC, growth per cycle since the warm-up, and the ratio to it. */
export function heapTable(results: Checkpoints): string {
  const first = results.checkpoints[0]!;
  const rows: Cell[][] = results.checkpoints.map((point) => {
    const cycles = point.cycles - first.cycles;
    const grown = point.heap.heap_used - first.heap.heap_used;
    return [
      point.cycles,
      point.elapsed_s,
      mib(point.heap.heap_used),
      mib(point.heap.old_space),
      mib(point.heap.code_space),
      mib(point.heap.code_and_metadata + point.heap.bytecode_and_metadata),
      mib(dataHeap(point.heap)),
      mib(point.heap.spaces.large_object_space ?? 0),
      mib(point.heap.external),
      mib(point.heap.rss),
      cycles > 0 ? Math.round(grown / cycles) : null,
      (point.heap.heap_used / first.heap.heap_used).toFixed(3),
    ];
  });
  const header = [
    'cycles',
    'at s',
    'heap MiB',
    'old space',
    'code space',
    'compiled code',
    'data',
    'large objects',
    'external MiB',
    'RSS MiB',
    'B/cycle',
    'ratio',
  ];
  return markdownTable(header, rows);
}

/** Each structure's size at the warm-up and at the end, with its growth per cycle. */
export function sizesTable(results: Checkpoints): string {
  const first = results.checkpoints[0]!;
  const end = results.checkpoints.at(-1)!;
  const cycles = end.cycles - first.cycles;
  const rows: Cell[][] = Object.keys(end.sizes).map((name) => {
    const a = first.sizes[name] ?? null;
    const b = end.sizes[name] ?? null;
    const perCycle = a === null || b === null || cycles === 0 ? null : (b - a) / cycles;
    return [name, a, b, perCycle === null ? null : perCycle.toFixed(3)];
  });
  return markdownTable(['structure', `at ${first.cycles}`, `at ${end.cycles}`, 'per cycle'], rows);
}

/** What the requests were answered with (step:outcome → count). */
export function outcomesTable(results: Pick<SoakResults, 'outcomes'>): string {
  const rows: Cell[][] = Object.entries(results.outcomes).map(([key, count]) => [key, count]);
  return markdownTable(['step:outcome', 'count'], rows);
}

/** The growth per cycle, what the by-design structures account for, and the rest. */
export function verdictLines(results: SoakResults): string {
  const c = results.entry_costs;
  return [
    `heap ratio (last / warm-up): ${results.ratio.toFixed(3)}`,
    `growth: ${Math.round(results.bytes_per_cycle)} B/cycle`,
    `by design: ${Math.round(results.by_design_bytes_per_cycle)} B/cycle (notice session ` +
      `${c.notice_session} B, used id ${c.used_id} B, key binding ${c.binding} B each)`,
    `residual: ${Math.round(results.residual_bytes_per_cycle)} B/cycle`,
    `old space (long-lived data) growth: ${Math.round(results.old_space_bytes_per_cycle)} ` +
      `B/cycle; residual there: ${Math.round(results.old_space_bytes_per_cycle - results.by_design_bytes_per_cycle)} B/cycle`,
  ].join('\n');
}
