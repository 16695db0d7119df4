/**
 * What the soak reads at a checkpoint: the heap retained after full collections (needs
 * `node --expose-gc`), and the size of every per-key structure the server keeps, read from
 * its context, so that growth can be told apart: a structure that follows the live state,
 * one bounded by design, one that only grows.
 */
import v8 from 'node:v8';
import { GuessThrottle } from '../../server/access/guess-throttle';
import type { ServerContext } from '../../server/connection/handlers';

export interface HeapReading {
  /** process.memoryUsage().heapUsed after full GCs. */
  heap_used: number;
  /** v8.getHeapStatistics().used_heap_size, the same moment. */
  used_heap_size: number;
  total_heap_size: number;
  external: number;
  array_buffers: number;
  rss: number;
  detached_contexts: number;
  /** Used bytes of the old space (long-lived data) and of the code space (JIT code). */
  old_space: number;
  code_space: number;
  /**
   * Compiled code and bytecode with their metadata, wherever they live (the old space holds
   * bytecode): what V8 keeps for functions it has compiled, more of them as a run goes on.
   */
  code_and_metadata: number;
  bytecode_and_metadata: number;
  /** Used bytes of every heap space (large objects: big Map tables, arrays, strings). */
  spaces: Record<string, number>;
  /** Bytes V8 holds for every heap space, used or not (what RSS follows). */
  space_sizes: Record<string, number>;
}

function spaceUsed(name: string): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === name)?.space_used_size ?? 0;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Collects until nothing more is freed (at most 8 rounds, letting finalizers run between),
 * then once more right before reading: timers that fire between rounds (the hub's beats)
 * must not leave their garbage in the reading.
 */
export async function retainedHeap(): Promise<HeapReading> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run under node --expose-gc (npm run bench:soak does)');
  let last = Infinity;
  for (let round = 0; round < 8; round++) {
    gc();
    await settle();
    const used = process.memoryUsage().heapUsed;
    if (round >= 2 && used >= last - 1024) break;
    last = used;
  }
  gc();
  const memory = process.memoryUsage();
  const stats = v8.getHeapStatistics();
  const code = v8.getHeapCodeStatistics();
  return {
    heap_used: memory.heapUsed,
    used_heap_size: stats.used_heap_size,
    total_heap_size: stats.total_heap_size,
    external: memory.external,
    array_buffers: memory.arrayBuffers,
    rss: memory.rss,
    detached_contexts: stats.number_of_detached_contexts,
    old_space: spaceUsed('old_space'),
    code_space: spaceUsed('code_space'),
    code_and_metadata: code.code_and_metadata_size,
    bytecode_and_metadata: code.bytecode_and_metadata_size,
    spaces: Object.fromEntries(
      v8.getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]),
    ),
    space_sizes: Object.fromEntries(
      v8.getHeapSpaceStatistics().map((space) => [space.space_name, space.space_size]),
    ),
  };
}

/** The heap without compiled code and bytecode: the data a program keeps. */
export const dataHeap = (heap: HeapReading): number =>
  heap.heap_used - heap.code_and_metadata - heap.bytecode_and_metadata;

/** The size of a private Map/Set field (a diagnostic read; null when not one). */
function fieldSize(owner: object, field: string): number | null {
  const value: unknown = Reflect.get(owner, field);
  return value instanceof Map || value instanceof Set ? value.size : null;
}

/** What the second server's sizes are prefixed with (the soak on Redis runs two). */
export const SECOND = 'B:';

/**
 * Every per-key structure the server keeps, by owner and field, names prefixed by `prefix`.
 * On a shared store (Redis) the same ones hold the other servers' parties too (replica
 * copies), with each party's version and the holds of parties being read back after a
 * refused commit; the wrong-password buckets are then in Redis (redis-rig.ts reads them).
 */
export function structureSizes(context: ServerContext, prefix = ''): Record<string, number | null> {
  const { service, sessions, access, quotas, updates, presence, committer } = context;
  const table = service.presence;
  const sizes: Record<string, number | null> = {
    parties: service.parties.size,
    'sessions.owners': sessions.size,
    'sessions.known': sessions.sessionCount,
    'sessions.issued': fieldSize(sessions, 'issued'),
    'sessions.lastUsed': fieldSize(sessions, 'lastUsed'),
    'presence.routes': fieldSize(presence, 'routes'),
    'presence.byOutbox': fieldSize(presence, 'byOutbox'),
    'presenceTable.parties': fieldSize(table, 'parties'),
    'presenceTable.partiesByPeer': fieldSize(table, 'partiesByPeer'),
    'presenceTable.cached': fieldSize(table, 'cached'),
    'versions.seqs': fieldSize(service.versions, 'seqs'),
    'versions.labels': fieldSize(service.versions, 'labels'),
    'versions.holds': fieldSize(service.versions, 'holds'),
    'committer.accessWatches': fieldSize(committer, 'accessWatches'),
    'quotas.byAddress': fieldSize(quotas, 'byAddress'),
    'quotas.byHost': fieldSize(quotas, 'byHost'),
    'quotas.creations': fieldSize(quotas, 'creations'),
    'quotas.snapshots': fieldSize(quotas, 'snapshots'),
    'quotas.signalPairs': fieldSize(Reflect.get(quotas, 'signals') as object, 'pairs'),
    'quotas.signalSenders': fieldSize(Reflect.get(quotas, 'signals') as object, 'senders'),
    'updates.applied': fieldSize(updates, 'applied'),
    'updates.held': fieldSize(updates, 'held'),
    ...(access.guesses instanceof GuessThrottle
      ? { 'guesses.buckets': fieldSize(access.guesses, 'buckets') }
      : {}),
    'notices.sessions': access.notices.size,
    'usedIds (by design, forever)': access.usedIds.rowKeys().length,
    'bindings (by design, forever)': access.bindings.size,
    invites: access.invites.rowKeys().length,
    bans: access.bans.rowKeys().length,
    approvals: access.approvals.rowKeys().length,
    passwords: access.passwords.rowKeys().length,
  };
  return Object.fromEntries(Object.entries(sizes).map(([name, n]) => [`${prefix}${name}`, n]));
}
