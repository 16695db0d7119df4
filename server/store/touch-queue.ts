/**
 * Heartbeat refreshes of `last_seen` waiting to be written: one slot per member, updated in
 * place. A heartbeat is the server's hottest path, so recording one allocates nothing once
 * the member has a slot (no key string, no object, no Date: those are made when taken).
 *
 * Two generations: touches fill one until they fall due (`markDue`, every touchPersistMs),
 * then that one is drained in chunks while new touches fill the other. With one generation,
 * members beating faster than the chunks were written kept the queue from ever emptying:
 * once due, touches were written back to back for as long as heartbeats came (a heartbeat
 * burst at 1 000 peers committed chunk after chunk) instead of once per period.
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

/** party id → peer id → last seen, with its count. */
class Generation {
  readonly byParty = new Map<string, Map<string, Slot>>();
  size = 0;

  slot(partyId: string, peerId: string): Slot | undefined {
    return this.byParty.get(partyId)?.get(peerId);
  }

  add(partyId: string, peerId: string, ms: number): void {
    let peers = this.byParty.get(partyId);
    if (!peers) this.byParty.set(partyId, (peers = new Map<string, Slot>()));
    peers.set(peerId, { ms });
    this.size++;
  }
}

export class TouchQueue {
  private filling = new Generation();
  /** Due: taken in chunks until empty. */
  private draining = new Generation();

  /** Touches waiting, due or not. */
  get size(): number {
    return this.filling.size + this.draining.size;
  }

  /** Touches due (to be taken now). */
  get dueSize(): number {
    return this.draining.size;
  }

  /** The member's latest `last_seen`. */
  record(partyId: string, peerId: string, lastSeenMs: number): void {
    // A member still waiting in the due generation gets its newer time written with it.
    const slot =
      (this.draining.size > 0 ? this.draining.slot(partyId, peerId) : undefined) ??
      this.filling.slot(partyId, peerId);
    if (slot) slot.ms = lastSeenMs;
    else this.filling.add(partyId, peerId, lastSeenMs);
  }

  /** What was recorded until now falls due. */
  markDue(): void {
    if (this.draining.size === 0) {
      [this.draining, this.filling] = [this.filling, this.draining];
      return;
    }
    // The last period's touches are not all written yet: this period's join them.
    for (const [partyId, peers] of this.filling.byParty) {
      for (const [peerId, { ms }] of peers) this.due(partyId, peerId, ms);
    }
    this.filling = new Generation();
  }

  /** Puts back touches a failed write took (due again), unless a newer one arrived meanwhile. */
  restore(touches: readonly PeerTouch[]): void {
    for (const t of touches) {
      if (this.draining.slot(t.partyId, t.peerId) || this.filling.slot(t.partyId, t.peerId)) {
        continue;
      }
      this.draining.add(t.partyId, t.peerId, t.lastSeen.getTime());
    }
  }

  /** Takes at most `limit` due touches, oldest recorded party first. */
  take(limit: number): PeerTouch[] {
    const taken: PeerTouch[] = [];
    const { byParty } = this.draining;
    for (const [partyId, peers] of byParty) {
      for (const [peerId, slot] of peers) {
        if (taken.length >= limit) return taken;
        taken.push({ partyId, peerId, lastSeen: new Date(slot.ms) });
        peers.delete(peerId);
        this.draining.size--;
      }
      byParty.delete(partyId);
    }
    return taken;
  }

  private due(partyId: string, peerId: string, ms: number): void {
    const slot = this.draining.slot(partyId, peerId);
    if (slot) slot.ms = Math.max(slot.ms, ms);
    else this.draining.add(partyId, peerId, ms);
  }
}
