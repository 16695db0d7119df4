/**
 * Each of the server's per-party events applied exactly once, in order. The server numbers
 * a party's events (`seq`, shared/protocol/protocol.ts); a snapshot says which number it reflects.
 * An event at or below what we applied is a repeat (a snapshot covered it) and is dropped;
 * the next number is applied; a jump means we missed one, and only a snapshot can tell us
 * what it was. Our own requests' answers carry the number of the event we were left out of
 * (our own update, our own presence change), which may arrive before the events in front
 * of it when they travel a different way (another server instance's fan-out).
 * Numbers hold within one connection: a new one starts from its first snapshot, so a server
 * that restarted with other numbers (or another instance) is followed as it is.
 * Events from a server that sends no numbers are applied as they come.
 */

export const Verdict = {
  APPLY: 'apply',
  /** Already applied (or covered by a snapshot): ignore it. */
  DROP: 'drop',
  /** Events are missing before this one: get a snapshot instead of applying it. */
  GAP: 'gap',
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** How many answered numbers ahead of the events we keep per party (a bound, not a need). */
const MAX_AHEAD = 64;

interface PartyOrder {
  /** The last number applied; null until this connection's first snapshot of the party. */
  applied: number | null;
  /** The highest number applied before that snapshot (a snapshot older than it is stale). */
  seenEarly: number;
  /** Numbers past `applied` that our own answers already covered. */
  ahead: Set<number>;
}

export class EventOrder {
  private readonly parties = new Map<string, PartyOrder>();

  /** A new connection: numbering starts again from each party's next snapshot. */
  reset(): void {
    this.parties.clear();
  }

  forget(partyId: string): void {
    this.parties.delete(partyId);
  }

  /** The last number applied for the party (null before its first snapshot). */
  appliedOf(partyId: string): number | null {
    return this.parties.get(partyId)?.applied ?? null;
  }

  /** An event numbered `seq` arrived. */
  event(partyId: string, seq: number | undefined): Verdict {
    if (seq === undefined) return Verdict.APPLY;
    const order = this.of(partyId);
    if (order.applied === null) {
      // Before the snapshot that follows every connect: best effort, the snapshot decides.
      order.seenEarly = Math.max(order.seenEarly, seq);
      return Verdict.APPLY;
    }
    if (seq <= order.applied || order.ahead.has(seq)) return Verdict.DROP;
    if (seq > order.applied + 1) return Verdict.GAP;
    this.advance(order, seq);
    return Verdict.APPLY;
  }

  /**
   * A snapshot reflecting `seq` arrived. DROP: it is older than what we applied. APPLY: it
   * replaces our copy. GAP: replace our copy with it, but it is older than events applied
   * before it (they came another way), so ask for a newer one. `entered`: the answer to our
   * own join or register, which starts the party's numbering afresh (a re-created party
   * starts over).
   */
  snapshot(partyId: string, seq: number | undefined, entered = false): Verdict {
    if (seq === undefined) return Verdict.APPLY;
    const order = this.of(partyId);
    if (!entered && order.applied !== null && seq < order.applied) return Verdict.DROP;
    const behind = !entered && order.applied === null && seq < order.seenEarly;
    for (const n of order.ahead) if (n <= seq) order.ahead.delete(n);
    order.seenEarly = 0;
    this.advance(order, seq);
    return behind ? Verdict.GAP : Verdict.APPLY;
  }

  /** Our request's answer covered event `seq` (we are not sent that event). */
  answered(partyId: string, seq: number | undefined): void {
    const order = seq === undefined ? undefined : this.parties.get(partyId);
    if (seq === undefined || !order || order.applied === null || seq <= order.applied) return;
    if (seq === order.applied + 1) return this.advance(order, seq);
    if (order.ahead.size < MAX_AHEAD) order.ahead.add(seq);
  }

  private of(partyId: string): PartyOrder {
    let order = this.parties.get(partyId);
    if (!order)
      this.parties.set(partyId, (order = { applied: null, seenEarly: 0, ahead: new Set() }));
    return order;
  }

  private advance(order: PartyOrder, seq: number): void {
    order.applied = seq;
    while (order.ahead.delete(order.applied + 1)) order.applied += 1;
  }
}
