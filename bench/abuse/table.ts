/** bench:abuse's results as Markdown tables (also pasted into the README). */
import type { AbuseResults, PhaseResult } from './bench';
import { markdownTable, type Cell } from '../lib/table';

const ATTACK_LABEL: Record<PhaseResult['phase'], (n: AbuseResults['scale']) => string> = {
  quiet: () => 'no attack',
  idle: (s) => `${s.idle} idle sockets (hello, then silent)`,
  slowloris: (s) => `${s.slowloris} slowloris sockets`,
  never_reading: (s) => `${s.never_reading} never-reading clients`,
  creation_flood: (s) => `party-creation flood (${s.creation_flood} conns × 19/s)`,
  heartbeat_flood: (s) => `heartbeat flood (${s.heartbeat_flood} conns × 19/s)`,
  costly_frames: (s) =>
    `64 KiB frames slow to read (${s.costly_frames} conns, one address, × 19/s)`,
};

function attackCell(p: PhaseResult): string {
  const a = p.attack;
  if (!a) return '–';
  const answers = Object.entries(a.answers)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [`held ${a.held}`, `refused ${a.refused}`, `cut ${a.cut}`, `sent ${a.sent}`, answers]
    .filter(Boolean)
    .join('; ');
}

export function abuseTable(results: AbuseResults): string {
  const rows: Cell[][] = results.phases.map((p) => [
    ATTACK_LABEL[p.phase](results.scale),
    `${p.join_ms.p50} / ${p.join_ms.p99}`,
    p.p99_vs_quiet,
    `${p.join_ms.count}/${p.join_ms.count + p.joins_failed}`,
    p.rss_mb_max,
    p.fds_max,
    attackCell(p),
  ]);
  const phases = markdownTable(
    [
      'phase',
      'join p50 / p99 ms',
      'p99 / quiet',
      'joins ok',
      'server RSS MB (max)',
      'server fds (max)',
      'attack sockets',
    ],
    rows,
  );
  const targets = markdownTable(
    ['target', 'wants', 'value', ''],
    Object.entries(results.targets).map(([k, t]) => [
      k,
      t.target,
      String(t.value),
      t.met ? 'met' : 'MISSED',
    ]),
  );
  return `${phases}\n\n${targets}`;
}
