/** The server bench's printed table: ours vs raw per scale, then the targets. */
import { markdownTable, type Cell } from './lib/table';
import type { ServerBenchResults } from './server-bench';

export function serverTable(results: ServerBenchResults): string {
  const header = [
    'N',
    'R',
    'server',
    'connect+hello/s',
    'fan-out msgs/s',
    'join→peer_joined p50/p95/p99 ms',
    'heartbeat acks/s',
    'hold acked/sent',
    'RSS KB/peer',
    'CPU srv/gen % (fan-out)',
    'bottleneck',
  ];
  const rows: Cell[][] = [];
  for (const s of results.scales) {
    for (const [name, r] of [
      ['raw ws', s.raw],
      ['LANrage', s.ours],
    ] as const) {
      const l = r.latency.join_fanout_ms;
      const cpu = r.throughput.cpu;
      rows.push([
        r.peers,
        r.party_size,
        name,
        r.connect.per_s,
        r.throughput.deliveries_per_s,
        `${l.p50} / ${l.p95} / ${l.p99}`,
        r.heartbeat_burst.acks_per_s,
        `${r.heartbeat_hold.acked}/${r.heartbeat_hold.sent}`,
        r.rss.per_peer_kb,
        `${cpu.server ?? 0} / ${Math.round((cpu.gen0 ?? 0) + (cpu.gen1 ?? 0))}`,
        r.throughput.bottleneck,
      ]);
    }
    const q = s.ratios;
    rows.push([
      '',
      '',
      'ratio ours/raw',
      q.connect_rate,
      q.fanout_throughput,
      `p50 ${q.join_fanout_p50 ?? '–'} / p99 ${q.join_fanout_p99 ?? '–'}`,
      q.heartbeat_throughput,
      s.durability.ok ? 'durable' : `LOST ${s.durability.missing_members}`,
      q.rss_per_peer,
      '',
      '',
    ]);
  }
  const targets = Object.entries(results.targets).map(([name, t]): Cell[] => [
    name,
    t.target,
    String(t.value),
    t.met ? 'met' : 'MISSED',
  ]);
  return `${markdownTable(header, rows)}\n\n${markdownTable(['target', 'wants', 'value', ''], targets)}`;
}
