/**
 * Heartbeat refreshes of `last_seen` waiting to be written: one slot per member, updated in
 * place. A heartbeat is the server's hottest path, so recording one allocates nothing once
 * the member has a slot (no key string, no object, no Date: those are made when taken).
 */
import type { PeerTouch } from './store';

export class TouchQueue {
  /** party id → peer id → last seen (ms). */
  private readonly byParty = new Map<string, Map<string, number>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The member's latest `last_seen`. */
  record(partyId: string, peerId: string, lastSeenMs: number): void {
    let peers = this.byParty.get(partyId);
    if (!peers) this.byParty.set(partyId, (peers = new Map<string, number>()));
    const before = peers.size;
    peers.set(peerId, lastSeenMs);
    this.count += peers.size - before;
  }

  /** Puts back touches a failed write took, unless a newer one arrived meanwhile. */
  restore(touches: readonly PeerTouch[]): void {
    for (const t of touches) {
      if (this.byParty.get(t.partyId)?.has(t.peerId)) continue;
      this.record(t.partyId, t.peerId, t.lastSeen.getTime());
    }
  }

  /** Takes at most `limit` touches, oldest recorded party first. */
  take(limit: number): PeerTouch[] {
    const taken: PeerTouch[] = [];
    for (const [partyId, peers] of this.byParty) {
      for (const [peerId, ms] of peers) {
        if (taken.length >= limit) return taken;
        taken.push({ partyId, peerId, lastSeen: new Date(ms) });
        peers.delete(peerId);
        this.count--;
      }
      this.byParty.delete(partyId);
    }
    return taken;
  }
}
