/**
 * Pushes for a party we are entering (join or register), held until the answer that lets us
 * in is applied. The server sends a new member's first events right behind that answer,
 * often in the same read; until the answer has been turned into our copy of the party (a few
 * awaits later) the party is not ours here, and a push for it would be dropped: the next
 * event then looked like a gap and cost a snapshot. Held pushes belong to one connection's
 * numbering, so a new connection drops them (its own snapshot covers what they said).
 */
import type { ServerMessage } from '../../../../shared/protocol/protocol';

/** A bound, not a need: a party tells a new member a few events while it settles in. */
const MAX_HELD = 256;
/**
 * Unnumbered pushes (signals) held: a snapshot covers none of them, and each may be 64 KiB of
 * JSON. A server that kept a join waiting (for the host's approval) while it sent hundreds
 * filled the app's memory until it crashed.
 */
const MAX_HELD_UNNUMBERED = 16;

/** Whether a snapshot of the party covers what the push says: it is party state, numbered. */
const numbered = (message: ServerMessage): boolean =>
  message.type === 'party_update' || ('seq' in message && typeof message.seq === 'number');

export class EarlyPushes<R> {
  private readonly held = new Map<string, Array<[ServerMessage, R]>>();

  /** A join or register of `partyId` is on its way. */
  expect(partyId: string): void {
    if (!this.held.has(partyId)) this.held.set(partyId, []);
  }

  /**
   * Keeps the push if its party is expected; false when it is not (or too many wait). A
   * snapshot replaces the numbered pushes held before it, which it covers.
   */
  hold(partyId: string, message: ServerMessage, request: R): boolean {
    const held = this.held.get(partyId);
    if (!held || held.length >= MAX_HELD) return false;
    if (message.type === 'party_update') {
      const kept = held.filter(([m]) => !numbered(m));
      held.splice(0, held.length, ...kept);
    } else if (!numbered(message)) {
      const unnumbered = held.filter(([m]) => !numbered(m)).length;
      if (unnumbered >= MAX_HELD_UNNUMBERED) return false;
    }
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
