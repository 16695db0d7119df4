/**
 * Who is online in each party, when each member was last heard from and its round trip:
 * soft state beside the parties, never inside them, so a heartbeat updates one entry in
 * O(1) instead of copying the party. Every method returns the changes the other members
 * must hear of (`peer_status`); steady heartbeats return none.
 */
import {
  isNotableRttChange,
  healthPeriodMs,
  offlineAfter,
  PresenceStatus,
  type PresenceDict,
  type PresenceMap,
} from '../../shared/presence';
import { inObjectKeyOrder } from '../party/json-order';
import { successorOrder } from '../../shared/party/successors';
import { isEpochMs, MAX_EPOCH_MS } from '../../shared/time/timestamp';

export interface PresenceChange {
  partyId: string;
  peerId: string;
  presence: PresenceDict;
}

interface Entry {
  status: PresenceStatus;
  lastSeen: number;
  /** When it went offline or asleep (epoch ms); null while online. */
  offlineSince: number | null;
  rttMs: number | null;
  /** The round trip the other members were last told, and when. */
  toldRttMs: number | null;
  toldRttAt: number;
  /** Join order: lower joined earlier. */
  readonly seq: number;
  /** The entry's `"peer_id":{…}` JSON, and the values it was made from (see entryJson). */
  json: string;
  jsonOf: { status: PresenceStatus | null; lastSeen: number; rttMs: number | null };
}

/** The narrow interface the party service uses (a shared implementation could replace it). */
export interface PresenceTracker {
  join(partyId: string, peerId: string, now: number): void;
  /** A member loaded as stored: offline since its last beat (see PartyService's constructor). */
  restore(partyId: string, peerId: string, lastSeen: number, now: number): void;
  remove(partyId: string, peerId: string): void;
  dropParty(partyId: string): void;
  beat(partyId: string, peerId: string, now: number, rttMs?: number): PresenceChange | null;
  /** The member said its PC is going to sleep (1.12); null: not a member, or asleep already. */
  asleep(partyId: string, peerId: string, now: number): PresenceChange | null;
  retell(partyId: string, peerId: string, now: number): PresenceChange | null;
  disconnected(peerIds: Iterable<string>, now: number): PresenceChange[];
  resumed(peerIds: Iterable<string>, now: number): PresenceChange[];
  scan(now: number): PresenceChange[];
  lastSeen(partyId: string, peerId: string): number | undefined;
  /** The parties the peer is present in (an index: no scan of the parties). */
  partiesOf(peerId: string): ReadonlySet<string>;
  offlineSince(partyId: string, peerId: string): number | null;
  successors(partyId: string): string[];
  presenceOf(partyId: string): PresenceMap;
  /** presenceOf as a client before 1.12 reads it: `asleep` said `offline`. */
  olderPresenceOf(partyId: string): PresenceMap;
  /** What another server told its members (server/state/replica-follow.ts). */
  applyRemote(change: PresenceChange, now: number): void;
  /** Another server heard from the member at `at` (its persisted last seen). */
  seenRemote(partyId: string, peerId: string, at: number, now: number): void;
  /**
   * The server stood still for `ms` (shared/time/stall-watch.ts): nobody's silence then counts.
   * Negative: the clock was set back that far, and so are the last beats.
   */
  excuse(ms: number, now: number): void;
  /** `presenceOf` as JSON, cached: see PRESENCE_JSON_MAX_AGE_MS. */
  presenceJson(partyId: string, now: number): string;
  /** presenceJson for a client before 1.12; the same string while nobody in it is asleep. */
  olderPresenceJson(partyId: string, now: number): string;
}

/**
 * How stale the last_seen values in a cached presence map may be. Statuses and round trips
 * are never stale (a change drops the cache); only an online member's last beat may lag by
 * this much. Rebuilding per `get_party` (256 timestamps formatted and stringified) was
 * 60 % of the server's CPU while 200 never-reading clients asked for a party of 256.
 */
export const PRESENCE_JSON_MAX_AGE_MS = 1000;

interface CachedPresence {
  json: string;
  builtAt: number;
}

const NONE: ReadonlySet<string> = new Set();

export class PresenceTable implements PresenceTracker {
  private readonly parties = new Map<string, Map<string, Entry>>();
  private readonly partiesByPeer = new Map<string, Set<string>>();
  private readonly cached = new Map<string, CachedPresence>();
  private seq = 0;

  constructor(private readonly intervalMs: number) {}

  /** A member joined (or rejoined: it keeps its place in the join order). */
  join(partyId: string, peerId: string, now: number): void {
    let members = this.parties.get(partyId);
    if (!members) this.parties.set(partyId, (members = new Map<string, Entry>()));
    this.cached.delete(partyId);
    const entry = members.get(peerId);
    if (entry) {
      this.markOnline(entry, now);
      return;
    }
    members.set(peerId, {
      status: PresenceStatus.ONLINE,
      lastSeen: now,
      offlineSince: null,
      rttMs: null,
      toldRttMs: null,
      toldRttAt: Number.NEGATIVE_INFINITY,
      seq: this.seq++,
      json: '',
      jsonOf: { status: null, lastSeen: Number.NaN, rttMs: null },
    });
    let parties = this.partiesByPeer.get(peerId);
    if (!parties) this.partiesByPeer.set(peerId, (parties = new Set()));
    parties.add(partyId);
  }

  restore(partyId: string, peerId: string, stored: number, now: number): void {
    // Stored ahead of now (the PC's clock set back since): offline from now, not from then.
    const lastSeen = notAfter(stored, now);
    this.join(partyId, peerId, lastSeen);
    const entry = this.parties.get(partyId)!.get(peerId)!;
    entry.status = PresenceStatus.OFFLINE;
    entry.offlineSince = offlineAfter(lastSeen, this.intervalMs);
  }

  remove(partyId: string, peerId: string): void {
    this.parties.get(partyId)?.delete(peerId);
    this.cached.delete(partyId);
    const parties = this.partiesByPeer.get(peerId);
    parties?.delete(partyId);
    if (parties?.size === 0) this.partiesByPeer.delete(peerId);
  }

  partiesOf(peerId: string): ReadonlySet<string> {
    return this.partiesByPeer.get(peerId) ?? NONE;
  }

  dropParty(partyId: string): void {
    for (const peerId of [...(this.parties.get(partyId)?.keys() ?? [])]) {
      this.remove(partyId, peerId);
    }
    this.parties.delete(partyId);
    this.cached.delete(partyId);
  }

  /**
   * A heartbeat: O(1). A change is returned when the member comes back online, or its round
   * trip moved notably and the others were not told of one within the last interval.
   */
  beat(partyId: string, peerId: string, now: number, rttMs?: number): PresenceChange | null {
    const entry = this.parties.get(partyId)?.get(peerId);
    if (!entry) return null;
    entry.lastSeen = now;
    if (rttMs !== undefined) entry.rttMs = rttMs;
    if (entry.status !== PresenceStatus.ONLINE) {
      this.markOnline(entry, now);
      return this.told(partyId, peerId, entry, now);
    }
    const due = now - entry.toldRttAt >= this.intervalMs;
    if (due && isNotableRttChange(entry.toldRttMs, entry.rttMs)) {
      return this.told(partyId, peerId, entry, now);
    }
    return null;
  }

  /**
   * Asleep from now until its next beat; silent meanwhile, so its last beat still counts
   * towards the peer timeout. Offline already, it stays so: nobody was expecting it.
   */
  asleep(partyId: string, peerId: string, now: number): PresenceChange | null {
    const entry = this.parties.get(partyId)?.get(peerId);
    if (entry?.status !== PresenceStatus.ONLINE) return null;
    entry.status = PresenceStatus.ASLEEP;
    entry.offlineSince = now;
    return this.told(partyId, peerId, entry, now);
  }

  /** The member's presence as it is, to be told again (its last telling was lost). */
  retell(partyId: string, peerId: string, now: number): PresenceChange | null {
    const entry = this.parties.get(partyId)?.get(peerId);
    return entry ? this.told(partyId, peerId, entry, now) : null;
  }

  /**
   * The members' connection closed without a leave: offline at once, in every party. One
   * asleep stays so: a sleeping PC's link dies while it sleeps, as it said it would.
   */
  disconnected(peerIds: Iterable<string>, now: number): PresenceChange[] {
    const changes: PresenceChange[] = [];
    this.eachEntry(peerIds, (partyId, peerId, entry) => {
      if (entry.status !== PresenceStatus.ONLINE) return;
      entry.status = PresenceStatus.OFFLINE;
      entry.offlineSince = now;
      changes.push(this.told(partyId, peerId, entry, now));
    });
    return changes;
  }

  /** The members' session resumed on a new connection: online again. */
  resumed(peerIds: Iterable<string>, now: number): PresenceChange[] {
    const changes: PresenceChange[] = [];
    this.eachEntry(peerIds, (partyId, peerId, entry) => {
      entry.lastSeen = now;
      if (entry.status === PresenceStatus.ONLINE) return;
      this.markOnline(entry, now);
      changes.push(this.told(partyId, peerId, entry, now));
    });
    return changes;
  }

  /** Online members without a beat for two intervals go offline (as of that moment). */
  scan(now: number): PresenceChange[] {
    const cutoff = now - healthPeriodMs(this.intervalMs);
    const changes: PresenceChange[] = [];
    for (const [partyId, members] of this.parties) {
      for (const [peerId, entry] of members) {
        if (entry.status !== PresenceStatus.ONLINE || entry.lastSeen >= cutoff) continue;
        entry.status = PresenceStatus.OFFLINE;
        entry.offlineSince = offlineAfter(entry.lastSeen, this.intervalMs);
        changes.push(this.told(partyId, peerId, entry, now));
      }
    }
    return changes;
  }

  lastSeen(partyId: string, peerId: string): number | undefined {
    return this.parties.get(partyId)?.get(peerId)?.lastSeen;
  }

  excuse(ms: number, now: number): void {
    // Set back, only a time in the future is surely from before: a beat since is on the
    // new clock already, and moving it back would show its member offline.
    const move = (at: number): number => (ms > 0 || at > now ? Math.min(now, at + ms) : at);
    for (const members of this.parties.values()) {
      for (const entry of members.values()) {
        entry.lastSeen = move(entry.lastSeen);
        if (entry.offlineSince !== null) entry.offlineSince = move(entry.offlineSince);
      }
    }
    this.cached.clear();
  }

  offlineSince(partyId: string, peerId: string): number | null {
    return this.parties.get(partyId)?.get(peerId)?.offlineSince ?? null;
  }

  /** The online members, longest present first: who may take over as host. */
  successors(partyId: string): string[] {
    const members = this.parties.get(partyId);
    if (!members) return [];
    const arrival = [...members].sort(([, a], [, b]) => a.seq - b.seq).map(([id]) => id);
    return successorOrder(arrival, (id) => members.get(id)?.status);
  }

  presenceOf(partyId: string): PresenceMap {
    const out: PresenceMap = {};
    for (const [peerId, entry] of this.parties.get(partyId) ?? []) out[peerId] = dictOf(entry);
    return out;
  }

  olderPresenceOf(partyId: string): PresenceMap {
    const out = this.presenceOf(partyId);
    for (const dict of Object.values(out)) dict.status = olderStatus(dict.status);
    return out;
  }

  olderPresenceJson(partyId: string, now: number): string {
    const json = this.presenceJson(partyId, now);
    for (const entry of this.parties.get(partyId)?.values() ?? []) {
      // Rare (someone asleep right now), so built afresh rather than cached.
      if (entry.status === PresenceStatus.ASLEEP)
        return JSON.stringify(this.olderPresenceOf(partyId));
    }
    return json;
  }

  applyRemote({ partyId, peerId, presence }: PresenceChange, now: number): void {
    const entry = this.parties.get(partyId)?.get(peerId);
    if (!entry) return;
    this.cached.delete(partyId);
    const lastSeen = Date.parse(presence.last_seen);
    if (Number.isFinite(lastSeen))
      entry.lastSeen = Math.max(entry.lastSeen, notAfter(lastSeen, now));
    entry.rttMs = presence.rtt_ms;
    entry.toldRttMs = presence.rtt_ms;
    if (presence.status === PresenceStatus.ONLINE) this.markOnline(entry, entry.lastSeen);
    else if (entry.status !== presence.status) {
      if (entry.status === PresenceStatus.ONLINE) entry.offlineSince = now;
      entry.status = presence.status;
    }
  }

  seenRemote(partyId: string, peerId: string, at: number, now: number): void {
    const entry = this.parties.get(partyId)?.get(peerId);
    // NaN would win Math.max and stay: the member would never be seen again, nor written out.
    if (entry && isEpochMs(at)) entry.lastSeen = Math.max(entry.lastSeen, notAfter(at, now));
  }

  presenceJson(partyId: string, now: number): string {
    const hit = this.cached.get(partyId);
    if (hit && now - hit.builtAt < PRESENCE_JSON_MAX_AGE_MS && now >= hit.builtAt) {
      return hit.json;
    }
    const members = this.parties.get(partyId) ?? new Map<string, Entry>();
    let pieces = '';
    for (const [peerId, entry] of inObjectKeyOrder(members)) {
      const piece = entryJson(peerId, entry);
      pieces += pieces === '' ? piece : `,${piece}`;
    }
    const json = `{${pieces}}`;
    if (this.parties.has(partyId)) this.cached.set(partyId, { json, builtAt: now });
    return json;
  }

  private markOnline(entry: Entry, now: number): void {
    entry.status = PresenceStatus.ONLINE;
    entry.offlineSince = null;
    entry.lastSeen = now;
  }

  /** The change the others hear of; what they now know of the round trip is remembered. */
  private told(partyId: string, peerId: string, entry: Entry, now: number): PresenceChange {
    this.cached.delete(partyId);
    if (entry.rttMs !== entry.toldRttMs) {
      entry.toldRttMs = entry.rttMs;
      entry.toldRttAt = now;
    }
    return { partyId, peerId, presence: dictOf(entry) };
  }

  private eachEntry(
    peerIds: Iterable<string>,
    visit: (partyId: string, peerId: string, entry: Entry) => void,
  ): void {
    for (const peerId of peerIds) {
      for (const partyId of this.partiesByPeer.get(peerId) ?? []) {
        const entry = this.parties.get(partyId)?.get(peerId);
        if (entry) visit(partyId, peerId, entry);
      }
    }
  }
}

/** A status as a client before 1.12 reads it: asleep is offline to it (its schema has no more). */
export function olderStatus(status: PresenceStatus): PresenceStatus {
  return status === PresenceStatus.ASLEEP ? PresenceStatus.OFFLINE : status;
}

/**
 * A time another server (or Redis) says a member was seen, never later than now: a year ahead
 * (a broken clock, a bad write) would have kept the member from ever timing out.
 */
const notAfter = (at: number, now: number): number => Math.min(at, now);

/**
 * The time as ISO-8601; one no Date holds reads as the epoch. None should reach here, but
 * toISOString throws on it, and dictOf runs in a socket's close listener: a throw there ends
 * the process, every party on it with it.
 */
function isoTime(ms: number): string {
  const valid = Number.isFinite(ms) && Math.abs(ms) <= MAX_EPOCH_MS;
  return new Date(valid ? ms : 0).toISOString();
}

function dictOf(entry: Entry): PresenceDict {
  return {
    status: entry.status,
    last_seen: isoTime(entry.lastSeen),
    rtt_ms: entry.rttMs,
  };
}

/**
 * The member's `"peer_id":{…}` in the presence map, made again only when what it shows
 * changed: a snapshot after a join or leave lists every member, and most did not change.
 */
function entryJson(peerId: string, entry: Entry): string {
  const of = entry.jsonOf;
  if (of.status !== entry.status || of.lastSeen !== entry.lastSeen || of.rttMs !== entry.rttMs) {
    entry.json = `${JSON.stringify(peerId)}:${JSON.stringify(dictOf(entry))}`;
    of.status = entry.status;
    of.lastSeen = entry.lastSeen;
    of.rttMs = entry.rttMs;
  }
  return entry.json;
}
