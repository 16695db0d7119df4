/**
 * Pushes for a party we are entering (join or register), held until the answer that lets us
 * in is applied. The server sends a new member's first events right behind that answer,
 * often in the same read; until the answer has been turned into our copy of the party (a few
 * awaits later) the party is not ours here, and a push for it would be dropped: the next
 * event then looked like a gap and cost a snapshot. Held pushes belong to one connection's
 * numbering, so a new connection drops them (its own snapshot covers what they said).
 */
import type { ServerMessage } from '../../../../shared/protocol';

/** A bound, not a need: a party tells a new member a few events while it settles in. */
const MAX_HELD = 256;

export class EarlyPushes<R> {
  private readonly held = new Map<string, Array<[ServerMessage, R]>>();

  /** A join or register of `partyId` is on its way. */
  expect(partyId: string): void {
    if (!this.held.has(partyId)) this.held.set(partyId, []);
  }

  /** Keeps the push if its party is expected; false when it is not (or too many wait). */
  hold(partyId: string, message: ServerMessage, request: R): boolean {
    const held = this.held.get(partyId);
    if (!held || held.length >= MAX_HELD) return false;
    held.push([message, request]);
    return true;
  }

  /** The entering is done (or failed): what came meanwhile, in order, to be pushed now. */
  take(partyId: string): Array<[ServerMessage, R]> {
    const held = this.held.get(partyId) ?? [];
    this.held.delete(partyId);
    return held;
  }

  /** A new connection: held pushes were numbered by the old one. */
  clear(): void {
    for (const held of this.held.values()) held.length = 0;
  }
}
