/**
 * `node --import tsx bench/soak/heap-diff.ts A.heapsnapshot B.heapsnapshot [--top N]`
 * What grew between two heap snapshots (bench:soak --snapshots writes them): objects
 * counted by node type and constructor (or closure) name, with their self sizes, largest
 * growth first. A constructor whose count grows with the cycles is where to look.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { markdownTable, type Cell } from '../lib/table';

const SnapshotSchema = z.object({
  snapshot: z.object({
    meta: z.object({
      node_fields: z.array(z.string()),
      node_types: z.array(z.unknown()),
    }),
  }),
  nodes: z.array(z.number()),
  strings: z.array(z.string()),
});

interface Group {
  count: number;
  bytes: number;
}

/** Nodes grouped by `type:name` (strings and numbers by type alone: their names are values). */
export function groupNodes(text: string): Map<string, Group> {
  const { snapshot, nodes, strings } = SnapshotSchema.parse(JSON.parse(text));
  const fields = snapshot.meta.node_fields;
  const types = z.array(z.string()).parse(snapshot.meta.node_types[0]);
  const [type, name, size] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const groups = new Map<string, Group>();
  for (let at = 0; at < nodes.length; at += fields.length) {
    const kind = types[nodes[at + type!]!] ?? '?';
    const named = kind === 'object' || kind === 'closure' || kind === 'native';
    const key = named ? `${kind}:${strings[nodes[at + name!]!] ?? '?'}` : kind;
    const group = groups.get(key) ?? { count: 0, bytes: 0 };
    group.count += 1;
    group.bytes += nodes[at + size!]!;
    groups.set(key, group);
  }
  return groups;
}

/** The `top` groups whose self size grew most from `a` to `b`. */
export function diffGroups(a: Map<string, Group>, b: Map<string, Group>, top: number): Cell[][] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  const rows = [...keys].map((key) => {
    const before = a.get(key) ?? { count: 0, bytes: 0 };
    const after = b.get(key) ?? { count: 0, bytes: 0 };
    return { key, before, after, grown: after.bytes - before.bytes };
  });
  rows.sort((x, y) => y.grown - x.grown);
  return rows
    .slice(0, top)
    .map((r) => [
      r.key.slice(0, 60),
      r.before.count,
      r.after.count,
      r.after.count - r.before.count,
      r.grown,
    ]);
}

function main(): void {
  const [first, second, flag, n] = process.argv.slice(2);
  if (!first || !second) {
    console.error('usage: heap-diff.ts A.heapsnapshot B.heapsnapshot [--top N]');
    process.exit(2);
  }
  const top = flag === '--top' ? Number(n) : 30;
  const a = groupNodes(readFileSync(first, 'utf8'));
  const b = groupNodes(readFileSync(second, 'utf8'));
  const header = ['type:constructor', 'count A', 'count B', 'Δ count', 'Δ self bytes'];
  console.log(markdownTable(header, diffGroups(a, b, top)));
}

main();
