/**
 * Joins waiting for the host's answer (join policy `approval`). Memory only: a request
 * lives two minutes at most, and a joiner whose request was lost with a restart asks again.
 */
import type { PeerInfo } from '../../shared/model';

export const APPROVAL_TIMEOUT_MS = 2 * 60 * 1000;
/** Waiting requests per party: a crowd at the door must not grow without bound. */
export const MAX_PENDING_PER_PARTY = 50;

export interface PendingJoin {
  partyId: string;
  peer: PeerInfo;
  /** The joiner's identity key, if it proved one. */
  publicKey: string | null;
  /** The session that asked: only it may cancel, and it is told the answer. */
  token: string;
  expiresAt: number;
}

export const ClosedReason = {
  ACCEPTED: 'accepted',
  REJECTED: 'rejected',
  CANCELLED: 'cancelled',
  EXPIRED: 'expired',
} as const;
export type ClosedReason = (typeof ClosedReason)[keyof typeof ClosedReason];

export class Approvals {
  private readonly byParty = new Map<string, Map<string, PendingJoin>>();

  /** false when the party already has MAX_PENDING_PER_PARTY waiting (someone else). */
  add(pending: PendingJoin): boolean {
    let party = this.byParty.get(pending.partyId);
    if (!party) this.byParty.set(pending.partyId, (party = new Map<string, PendingJoin>()));
    if (!party.has(pending.peer.peerId) && party.size >= MAX_PENDING_PER_PARTY) return false;
    party.set(pending.peer.peerId, pending);
    return true;
  }

  get(partyId: string, peerId: string): PendingJoin | undefined {
    return this.byParty.get(partyId)?.get(peerId);
  }

  take(partyId: string, peerId: string): PendingJoin | undefined {
    const party = this.byParty.get(partyId);
    const pending = party?.get(peerId);
    if (!party || !pending) return undefined;
    party.delete(peerId);
    if (party.size === 0) this.byParty.delete(partyId);
    return pending;
  }

  list(partyId: string): PendingJoin[] {
    return [...(this.byParty.get(partyId)?.values() ?? [])];
  }

  /** Removes and returns the requests past their time. */
  expire(now: number): PendingJoin[] {
    const gone: PendingJoin[] = [];
    for (const [partyId, party] of this.byParty) {
      for (const [peerId, pending] of party) {
        if (pending.expiresAt > now) continue;
        party.delete(peerId);
        gone.push(pending);
      }
      if (party.size === 0) this.byParty.delete(partyId);
    }
    return gone;
  }

  /** The party is gone: its requests go with it (returned, so the joiners can be told). */
  dropParty(partyId: string): PendingJoin[] {
    const gone = this.list(partyId);
    this.byParty.delete(partyId);
    return gone;
  }
}
