/**
 * Which peer ids belong to which identity key. A peer id is bound to the first key that
 * used it and stays bound for good: it is never pruned with its session, so nobody else
 * can take it after its owner went quiet, and its owner gets it back from any connection.
 */
import { AccessKind, type AccessSink, type RowTable } from '../records';

export class KeyBindings implements RowTable {
  private readonly keyByPeer: Map<string, string>;
  private readonly peersByKey = new Map<string, Set<string>>();

  constructor(
    rows: ReadonlyMap<string, string>,
    private readonly sink: AccessSink,
  ) {
    this.keyByPeer = new Map(rows);
    for (const [peerId, key] of rows) this.index(peerId, key);
  }

  private index(peerId: string, key: string): void {
    let peers = this.peersByKey.get(key);
    if (!peers) this.peersByKey.set(key, (peers = new Set()));
    peers.add(peerId);
  }

  keyOf(peerId: string): string | undefined {
    return this.keyByPeer.get(peerId);
  }

  peersOf(key: string): ReadonlySet<string> {
    return this.peersByKey.get(key) ?? new Set();
  }

  /** Binds an unbound peer id to `key`; true when that recorded a new (durable) binding. */
  bind(peerId: string, key: string): boolean {
    if (this.keyByPeer.has(peerId)) return false;
    this.keyByPeer.set(peerId, key);
    this.index(peerId, key);
    // On a shared store the commit is refused if another server bound the id meanwhile.
    this.sink.recordAccess(AccessKind.KEY, peerId, key, null);
    return true;
  }

  applyRow(peerId: string, key: string | null): boolean {
    const before = this.keyByPeer.get(peerId);
    if (before !== undefined) this.peersByKey.get(before)?.delete(peerId);
    if (key === null) {
      this.keyByPeer.delete(peerId);
      return true;
    }
    this.keyByPeer.set(peerId, key);
    this.index(peerId, key);
    return true;
  }

  rowKeys(): string[] {
    return [...this.keyByPeer.keys()];
  }

  get size(): number {
    return this.keyByPeer.size;
  }
}
