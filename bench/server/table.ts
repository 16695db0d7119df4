/** The server bench's printed table: ours vs raw per scale, then the targets. */
import { markdownTable, type Cell } from '../lib/table';
import type { ScaleResult } from '../load/scale-types';
import type { RatioRange, ScaleComparison, ServerBenchResults } from './types';

const HEADER = [
  'N',
  'R',
  'server',
  'connect+hello/s',
  'fan-out msgs/s',
  'join→peer_joined p50/p95/p99 ms',
  'heartbeat acks/s',
  'hold acked/sent',
  'presence pushes burst/hold',
  'RSS KB/peer',
  'CPU srv/gen % (fan-out)',
  'bottleneck',
];

export function serverTable(results: ServerBenchResults): string {
  const k = results.repeat > 1 ? ` (median of ${results.repeat})` : '';
  const rows = results.scales.flatMap((s) => [
    resultRow(`raw ws${k}`, s.raw),
    resultRow(`LANrage${results.ours_store === 'memory' ? ' (memory store)' : ''}${k}`, s.ours),
    ratioRow(s, `ratio ours/raw${k}`),
    ...(s.ratio_range ? [rangeRow(s.ratio_range)] : []),
    ...(s.redis ?? []).flatMap((r) => [
      resultRow(`${r.label}${k}`, r.result),
      ratioRow({ ratios: r.ratios, durability: r.durability }, `ratio ${r.label}/raw${k}`),
      ...(r.ratio_range ? [rangeRow(r.ratio_range)] : []),
    ]),
  ]);
  const targets = Object.entries(results.targets).map(([name, t]): Cell[] => [
    name,
    t.target,
    String(t.value),
    t.met ? 'met' : 'MISSED',
  ]);
  return `${markdownTable(HEADER, rows)}\n\n${markdownTable(['target', 'wants', 'value', ''], targets)}`;
}

/** One server's figures at one scale. */
function resultRow(name: string, r: ScaleResult): Cell[] {
  const l = r.latency.join_fanout_ms;
  const cpu = r.throughput.cpu;
  return [
    r.peers,
    r.party_size,
    name,
    r.connect.per_s,
    r.throughput.deliveries_per_s,
    `${l.p50} / ${l.p95} / ${l.p99}`,
    r.heartbeat_burst.acks_per_s,
    `${r.heartbeat_hold.acked}/${r.heartbeat_hold.sent}`,
    `${r.heartbeat_burst.presence_pushes} / ${r.heartbeat_hold.presence_pushes}`,
    r.rss.per_peer_kb,
    `${cpu.server ?? 0}${cpu.server2 === undefined ? '' : `+${cpu.server2}`} / ${Math.round((cpu.gen0 ?? 0) + (cpu.gen1 ?? 0))}`,
    r.throughput.bottleneck,
  ];
}

/** Ours divided by raw at one scale, plus whether our server's writes survived. */
function ratioRow(
  s: Pick<ScaleComparison, 'ratios' | 'durability'>,
  label = 'ratio ours/raw',
): Cell[] {
  const q = s.ratios;
  return [
    '',
    '',
    label,
    q.connect_rate,
    q.fanout_throughput,
    `p50 ${q.join_fanout_p50 ?? '–'} / p99 ${q.join_fanout_p99 ?? '–'}`,
    q.heartbeat_throughput,
    s.durability.ok
      ? 'durable'
      : `LOST ${s.durability.missing_members + s.durability.extra_members}`,
    '',
    q.rss_per_peer,
    '',
    '',
  ];
}

/** With --repeat: each ratio's lowest and highest over the pairs. */
function rangeRow(range: RatioRange): Cell[] {
  const r = (key: string): string => {
    const v = range[key];
    return v ? `${v[0]}–${v[1]}` : '–';
  };
  return [
    '',
    '',
    'range over the pairs',
    r('connect_rate'),
    r('fanout_throughput'),
    `p50 ${r('join_fanout_p50')} / p99 ${r('join_fanout_p99')}`,
    r('heartbeat_throughput'),
    '',
    '',
    r('rss_per_peer'),
    '',
    '',
  ];
}
