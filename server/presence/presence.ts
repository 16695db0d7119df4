/**
 * Where a peer is connected, and delivery to it. The local implementation keeps routes in
 * memory; a shared one (e.g. Redis pub/sub) could replace it to run several servers.
 */

/** Whatever can receive a serialized frame: a client connection. */
export interface Outbox {
  readonly id: number;
  /** A text frame; a Buffer holds its UTF-8 bytes. */
  sendRaw(frame: string | Buffer): void;
  /** Whether a best-effort frame of `bytes` (a relayed signal) may be queued now. */
  hasRoomFor(bytes: number): boolean;
  /**
   * The `hello.version` the client declared, as shared/protocol/protocol.ts protocolLevel (0 or
   * absent: none): which events it gets instead of a snapshot (`peer_updated` from 1.3…).
   */
  readonly protocol?: number;
  /** When its client was last heard (server clock); absent: not tracked. */
  readonly heardAt?: number;
}

/** A frame for connections older than `since` (a protocol level), sent instead of the event. */
export interface LegacyFrame {
  frame: string;
  since: number;
}

export interface Presence {
  /** Routes messages for `peerId` to `outbox` from now on. */
  attach(peerId: string, outbox: Outbox): void;
  /** Forgets every route to `outbox` (it closed); returns the peers left with no route. */
  detachAll(outbox: Outbox): string[];
  /**
   * Sends one frame to each peer that is connected, once per connection; `legacy.frame`
   * instead to connections older than `legacy.since` (see Outbox.protocol).
   */
  sendToPeers(peerIds: Iterable<string>, frame: string, legacy?: LegacyFrame): void;
  /**
   * Sends a best-effort frame (a relayed signal) to the peer unless too much already waits for
   * its connection (Outbox.hasRoomFor); false: dropped, or the peer is not connected here.
   */
  offerToPeer(peerId: string, frame: string): boolean;
  isConnected(peerId: string): boolean;
  /** Where messages for `peerId` go now (undefined: nowhere). */
  routeOf(peerId: string): Outbox | undefined;
}

export class LocalPresence implements Presence {
  private readonly routes = new Map<string, Outbox>();
  private readonly byOutbox = new Map<number, Set<string>>();

  attach(peerId: string, outbox: Outbox): void {
    const previous = this.routes.get(peerId);
    if (previous === outbox) return;
    if (previous) this.byOutbox.get(previous.id)?.delete(peerId);
    this.routes.set(peerId, outbox);
    let peers = this.byOutbox.get(outbox.id);
    if (!peers) this.byOutbox.set(outbox.id, (peers = new Set()));
    peers.add(peerId);
  }

  detachAll(outbox: Outbox): string[] {
    const peers = this.byOutbox.get(outbox.id);
    if (!peers) return [];
    const lost: string[] = [];
    for (const peerId of peers) {
      if (this.routes.get(peerId) !== outbox) continue;
      this.routes.delete(peerId);
      lost.push(peerId);
    }
    this.byOutbox.delete(outbox.id);
    return lost;
  }

  sendToPeers(peerIds: Iterable<string>, frame: string, legacy?: LegacyFrame): void {
    const sent = new Set<number>();
    // Encoded to UTF-8 once for every recipient, not once per send.
    let bytes: Buffer | null = null;
    let oldBytes: Buffer | null = null;
    for (const peerId of peerIds) {
      const outbox = this.routes.get(peerId);
      if (!outbox || sent.has(outbox.id)) continue;
      sent.add(outbox.id);
      if (legacy !== undefined && (outbox.protocol ?? 0) < legacy.since) {
        outbox.sendRaw((oldBytes ??= Buffer.from(legacy.frame, 'utf8')));
      } else {
        outbox.sendRaw((bytes ??= Buffer.from(frame, 'utf8')));
      }
    }
  }

  offerToPeer(peerId: string, frame: string): boolean {
    const outbox = this.routes.get(peerId);
    const bytes = Buffer.from(frame, 'utf8');
    if (!outbox?.hasRoomFor(bytes.length)) return false;
    outbox.sendRaw(bytes);
    return true;
  }

  isConnected(peerId: string): boolean {
    return this.routes.has(peerId);
  }

  routeOf(peerId: string): Outbox | undefined {
    return this.routes.get(peerId);
  }
}
