/**
 * Heartbeat refreshes of `last_seen` waiting to be written: one slot per member, updated in
 * place. A heartbeat is the server's hottest path, so recording one allocates nothing once
 * the member has a slot (no key string, no object, no Date: those are made when taken).
 */
import type { PeerTouch } from './store';

/**
 * A mutable box: a member's slot is overwritten in place. A number stored as a Map value
 * would be a new heap number per heartbeat (epoch ms are past the small-integer range), each
 * referenced from the long-lived map, which the young-generation GC then has to keep alive.
 */
interface Slot {
  ms: number;
}

export class TouchQueue {
  /** party id → peer id → last seen. */
  private readonly byParty = new Map<string, Map<string, Slot>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The member's latest `last_seen`. */
  record(partyId: string, peerId: string, lastSeenMs: number): void {
    let peers = this.byParty.get(partyId);
    if (!peers) this.byParty.set(partyId, (peers = new Map<string, Slot>()));
    const slot = peers.get(peerId);
    if (slot) {
      slot.ms = lastSeenMs;
      return;
    }
    peers.set(peerId, { ms: lastSeenMs });
    this.count++;
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
      for (const [peerId, slot] of peers) {
        if (taken.length >= limit) return taken;
        taken.push({ partyId, peerId, lastSeen: new Date(slot.ms) });
        peers.delete(peerId);
        this.count--;
      }
      this.byParty.delete(partyId);
    }
    return taken;
  }
}
