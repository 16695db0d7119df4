/**
 * Joins waiting for the host's answer (join policy `approval`), kept as access rows: with
 * several servers on one Redis the requester may be connected to one and the host to
 * another, so a request lives in the shared state (written and published with the commit
 * that answers `join_pending`), not in one server's memory. Taking a request (answer,
 * cancel, expiry) deletes its row on the condition that it is still there, so of two
 * servers taking one request at once exactly one commit goes through. A request lives
 * APPROVAL_TIMEOUT_MS at most; the server that runs the sweeps expires it.
 */
import { z } from 'zod';
import { PeerDictSchema } from '../../shared/party/dicts';
import { PeerInfo } from '../../shared/model';
import { AccessKind, readJson, type AccessSink, type RowTable } from './records';

import { MAX_PENDING_PER_PARTY } from '../../shared/access/rules';

export { APPROVAL_TIMEOUT_MS, MAX_PENDING_PER_PARTY } from '../../shared/access/rules';
/**
 * Waiting requests per party from one address: without it one stranger filled all 50 places
 * (new peer ids at the join rate) and every friend was refused for two minutes. A few, not
 * one: friends behind one NAT may knock at once.
 */
export const MAX_PENDING_PER_ADDRESS = 5;

/** Why a request could not wait: the party's door or the address's share is full. */
export type AddRefusal = 'party_full' | 'address_full';

export interface PendingJoin {
  partyId: string;
  peer: PeerInfo;
  /** The joiner's identity key, if it proved one. */
  publicKey: string | null;
  expiresAt: number;
  /** The joiner's address (addressKey), counted against MAX_PENDING_PER_ADDRESS. */
  address?: string;
  /**
   * When the joiner's connection closed while it waited (epoch ms); absent while it is
   * connected. Kept in the row, since the host may answer on another server.
   */
  goneAt?: number;
}

export const ClosedReason = {
  ACCEPTED: 'accepted',
  REJECTED: 'rejected',
  CANCELLED: 'cancelled',
  EXPIRED: 'expired',
} as const;
export type ClosedReason = (typeof ClosedReason)[keyof typeof ClosedReason];

const PendingRowSchema = z.object({
  party_id: z.string(),
  peer: PeerDictSchema,
  public_key: z.string().nullable(),
  expires_at: z.number(),
  // Rows written before addresses were kept have none; they count for no address.
  address: z.string().optional(),
  gone_at: z.number().optional(),
});

const rowKey = (partyId: string, peerId: string): string => `${partyId}\u0000${peerId}`;

function stored(pending: PendingJoin): string {
  return JSON.stringify({
    party_id: pending.partyId,
    peer: pending.peer.toDict(),
    public_key: pending.publicKey,
    expires_at: pending.expiresAt,
    address: pending.address,
    gone_at: pending.goneAt,
  });
}

export class Approvals implements RowTable {
  private readonly byParty = new Map<string, Map<string, PendingJoin>>();
  /** peer id → the parties it waits for: a closing connection finds its requests at once. */
  private readonly byPeer = new Map<string, Set<string>>();
  /** The stored value of each request (the base its removal is checked against). */
  private readonly rows = new Map<string, string>();

  constructor(
    rows: ReadonlyMap<string, string>,
    private readonly sink: AccessSink,
  ) {
    for (const [key, value] of rows) this.applyRow(key, value);
  }

  applyRow(key: string, value: string | null): boolean {
    const [partyId = '', peerId = ''] = key.split('\u0000');
    this.unindex(partyId, peerId);
    const parsed = value === null ? null : PendingRowSchema.safeParse(readJson(value));
    if (!parsed?.success) return parsed === null;
    const { party_id, peer, public_key, expires_at, address, gone_at } = parsed.data;
    const pending: PendingJoin = {
      partyId: party_id,
      peer: PeerInfo.fromParsed(peer),
      publicKey: public_key,
      expiresAt: expires_at,
    };
    if (address !== undefined) pending.address = address;
    if (gone_at !== undefined) pending.goneAt = gone_at;
    this.index(pending, value!);
    return true;
  }

  rowKeys(): string[] {
    return [...this.rows.keys()];
  }

  private index(pending: PendingJoin, value: string): void {
    let party = this.byParty.get(pending.partyId);
    if (!party) this.byParty.set(pending.partyId, (party = new Map<string, PendingJoin>()));
    party.set(pending.peer.peerId, pending);
    this.rows.set(rowKey(pending.partyId, pending.peer.peerId), value);
    let parties = this.byPeer.get(pending.peer.peerId);
    if (!parties) this.byPeer.set(pending.peer.peerId, (parties = new Set()));
    parties.add(pending.partyId);
  }

  private unindex(partyId: string, peerId: string): void {
    const party = this.byParty.get(partyId);
    if (party?.delete(peerId) && party.size === 0) this.byParty.delete(partyId);
    this.rows.delete(rowKey(partyId, peerId));
    const parties = this.byPeer.get(peerId);
    if (parties?.delete(partyId) && parties.size === 0) this.byPeer.delete(peerId);
  }

  /** Adds (or renews) the request; a refusal when the party or the address has no place. */
  add(pending: PendingJoin): AddRefusal | null {
    const refusal = this.refusal(pending);
    if (refusal) return refusal;
    const value = stored(pending);
    this.index(pending, value);
    this.sink.recordAccess(AccessKind.PENDING, rowKey(pending.partyId, pending.peer.peerId), value);
    return null;
  }

  /** A renewal (the same peer id asking again) always has its place. */
  private refusal(pending: PendingJoin): AddRefusal | null {
    const party = this.byParty.get(pending.partyId);
    if (!party || party.has(pending.peer.peerId)) return null;
    if (party.size >= MAX_PENDING_PER_PARTY) return 'party_full';
    if (pending.address === undefined) return null;
    let fromAddress = 0;
    for (const other of party.values()) if (other.address === pending.address) fromAddress++;
    return fromAddress >= MAX_PENDING_PER_ADDRESS ? 'address_full' : null;
  }

  /**
   * For `pending`, refused `party_full`: the request that gives up its place, taken, or none.
   * It is the oldest of the address holding the most, when that is at least two more than
   * `pending`'s holds: ten addresses at MAX_PENDING_PER_ADDRESS each filled the door for two
   * minutes at a time; now it holds only against MAX_PENDING_PER_PARTY addresses, one each.
   */
  displaceFor(pending: PendingJoin): PendingJoin | undefined {
    const party = this.byParty.get(pending.partyId);
    if (!party || pending.address === undefined) return undefined;
    const counts = new Map<string, number>();
    for (const { address } of party.values()) {
      if (address !== undefined) counts.set(address, (counts.get(address) ?? 0) + 1);
    }
    let victim: PendingJoin | undefined;
    let most = (counts.get(pending.address) ?? 0) + 2;
    for (const other of party.values()) {
      const held = other.address === undefined ? 0 : counts.get(other.address)!;
      if (held < most || (held === most && victim && other.expiresAt >= victim.expiresAt)) continue;
      victim = other;
      most = held;
    }
    return victim && this.take(victim.partyId, victim.peer.peerId);
  }

  /**
   * These peers' connection closed (`at`) or came back (null): their waiting requests say so,
   * so a host's accept lets a joiner that left in offline, not shown online. Returns the
   * requests that changed, for their hosts to be told.
   */
  markGone(peerIds: Iterable<string>, at: number | null): PendingJoin[] {
    const changed: PendingJoin[] = [];
    for (const peerId of peerIds) {
      for (const partyId of [...(this.byPeer.get(peerId) ?? [])]) {
        const pending = this.get(partyId, peerId);
        if (!pending || (pending.goneAt ?? null) === at) continue;
        const next: PendingJoin = { ...pending };
        if (at === null) delete next.goneAt;
        else next.goneAt = at;
        const key = rowKey(next.partyId, next.peer.peerId);
        const base = this.rows.get(key);
        const value = stored(next);
        this.index(next, value);
        this.sink.recordAccess(AccessKind.PENDING, key, value, base);
        changed.push(next);
      }
    }
    return changed;
  }

  get(partyId: string, peerId: string): PendingJoin | undefined {
    return this.byParty.get(partyId)?.get(peerId);
  }

  /**
   * Removes the request; its row goes only if no other server took it first. Given `now`, a
   * request past its time is not taken: it is left to the expiry, which tells both sides (on
   * a server that does not run the sweeps it may still be here for a few seconds).
   */
  take(partyId: string, peerId: string, now = -Infinity): PendingJoin | undefined {
    const pending = this.get(partyId, peerId);
    if (!pending || pending.expiresAt <= now) return undefined;
    const key = rowKey(partyId, peerId);
    const base = this.rows.get(key);
    this.unindex(partyId, peerId);
    this.sink.recordAccess(AccessKind.PENDING, key, null, base);
    return pending;
  }

  list(partyId: string): PendingJoin[] {
    return [...(this.byParty.get(partyId)?.values() ?? [])];
  }

  /** Removes and returns the requests past their time. */
  expire(now: number): PendingJoin[] {
    const gone: PendingJoin[] = [];
    for (const party of [...this.byParty.values()]) {
      for (const pending of [...party.values()]) {
        if (pending.expiresAt > now) continue;
        this.take(pending.partyId, pending.peer.peerId);
        gone.push(pending);
      }
    }
    return gone;
  }

  /** The party is gone: its requests go with it (returned, so the joiners can be told). */
  dropParty(partyId: string): PendingJoin[] {
    const gone = this.list(partyId);
    for (const pending of gone) this.take(partyId, pending.peer.peerId);
    return gone;
  }
}
