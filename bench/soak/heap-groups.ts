/**
 * Heap snapshot nodes grouped and compared (heap-diff.ts is the command): what grew between
 * two snapshots, by node type and constructor, closure or V8 system name.
 */
import { z } from 'zod';
import type { Cell } from '../lib/table';

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

export interface Group {
  count: number;
  bytes: number;
}

const NAMED = new Set(['object', 'closure', 'native']);

/**
 * `type:name` for objects, closures and natives; V8's own structures (`hidden` and `code`
 * nodes named `system / …`, e.g. the feedback vectors and dependent-code lists the optimiser
 * keeps, which the heap's "without compiled code" reading still counts) by their system name;
 * other code by its kind alone (a function's code is named after the function).
 */
export function groupKey(kind: string, rawName: string): string {
  // Chromium names a closure's scope `system / Context / scope @<node id>`: the id differs in
  // every snapshot, so without this each scope would read as new in the second.
  const name = rawName.replace(/ @\d+$/, '');
  if (NAMED.has(kind)) return `${kind}:${name}`;
  if ((kind === 'hidden' || kind === 'code') && name.startsWith('system / ')) {
    return `${kind}:${name}`;
  }
  return kind;
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
    const key = groupKey(kind, strings[nodes[at + name!]!] ?? '?');
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

/** Node kinds that hold a program's values (closures' scopes included). */
const DATA_KINDS = new Set([
  'object',
  'closure',
  'array',
  'string',
  'concatenated string',
  'sliced string',
  'number',
  'regexp',
  'bigint',
]);

/**
 * Self bytes of the program's values: not compiled code or the engine's metadata (`code`,
 * `hidden`), nor what the embedder keeps (`native`: the DOM, a browser's timing entries).
 */
export function dataBytes(groups: ReadonlyMap<string, Group>): number {
  let bytes = 0;
  for (const [key, group] of groups) {
    if (DATA_KINDS.has(key.split(':', 1)[0]!)) bytes += group.bytes;
  }
  return bytes;
}
