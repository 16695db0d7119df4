/**
 * The parties a browser currently believes in, with RFC 6762 §5.2 cache maintenance:
 * an entry lives for its TTL from the last answer that confirmed it, the browser asks again
 * at 80 % and 90 % of it, and an entry nobody confirmed is dropped at 100 %. Pure: times
 * are passed in.
 *
 * A party is where its first live claim comes from. Another address announcing the same
 * party id does not move it there (a stranger's copy would get the joins, and the party's
 * password with them); while both claim it, the party is listed at neither, since which is
 * the real one cannot be told. Both claims are kept fresh by the same refresh queries. Only
 * the address that holds a party can say goodbye for it. The holder's own other addresses
 * (its A records, each naming the other) are no rivals: a host on two networks answers on
 * both.
 */
import { LAN_TXT_KEYS, type LanPartySummary } from '../../../shared/lan-party';
import type { Observation } from './dns-sd-records';

/** A party found on the LAN, and where its host's control server listens. */
export interface LanParty {
  summary: LanPartySummary;
  address: string;
  port: number;
}

/** When an address last claimed a party, for how long, and how often it was asked since. */
interface Claim {
  seenAt: number;
  ttlMs: number;
  /** Refresh queries sent since it was last confirmed (0, 1 or 2). */
  asked: number;
}

interface Entry extends Claim {
  observation: Observation;
  /**
   * Other addresses announcing the same party. Asked again like the entry: a real host
   * answers only when asked, and its claim must not lapse while a stranger that holds the
   * entry repeats itself unasked (the stranger would be listed alone again).
   */
  rivals: Map<string, Rival>;
}

/** Another address's claim, with what it announced (its certificate's pin, say). */
interface Rival extends Claim {
  observation: Observation;
}

/** What an answer did to the list. */
export interface Observed {
  /** The list as shown changed. */
  changed: boolean;
  /** Set when the answer has just made the party contested (it is no longer listed). */
  rival: { address: string; held: string } | null;
}

/** Fractions of the TTL at which a refresh query goes out. */
const REFRESH_AT = [0.8, 0.9] as const;
/** A LAN flood must not grow the list (and the UI) without bound. */
export const MAX_LAN_PARTIES = 64;
/**
 * Parties one address may hold: a PC hosts a party or a few. Without it one PC announcing 64
 * made-up parties kept every real one off the list, and off the claims a pinned invite link is
 * joined by.
 */
export const MAX_PARTIES_PER_ADDRESS = 8;
/** Rival addresses kept per party (past it, new ones are not noted: it stays contested). */
const MAX_RIVALS = 8;

const contested = (entry: Entry): boolean => entry.rivals.size > 0;

export class BrowseCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries: number = MAX_LAN_PARTIES) {}

  /** Records an answer that came from `observation.address`. */
  observe(observation: Observation, now: number): Observed {
    const before = this.entries.get(observation.instance);
    if (!before) return this.add(observation, now);
    const { address } = observation;
    if (before.observation.address !== address) {
      // The holder on another of its networks (it announces on each): not a rival. Its first
      // claim is kept and not renewed from there, so it lapses if that address goes quiet.
      // Both must name the other: a stranger heard first cannot name the host to silence it.
      const sameHost =
        before.observation.hostAddresses.includes(address) &&
        observation.hostAddresses.includes(before.observation.address);
      return sameHost ? { changed: false, rival: null } : this.rival(before, observation, now);
    }
    const changed = !contested(before) && !sameParty(before.observation, observation);
    Object.assign(before, { observation, seenAt: now, ttlMs: observation.ttlMs, asked: 0 });
    return { changed, rival: null };
  }

  /** A goodbye from `address`; true when the list as shown changed. */
  forget(instance: string, address: string): boolean {
    const entry = this.entries.get(instance);
    if (!entry) return false;
    if (entry.observation.address === address) {
      this.entries.delete(instance);
      return !contested(entry);
    }
    return entry.rivals.delete(address) && !contested(entry);
  }

  /** Drops every entry and rival claim whose TTL ran out; true when the list changed. */
  expire(now: number): boolean {
    let changed = false;
    for (const [instance, entry] of this.entries) {
      const wasContested = contested(entry);
      for (const [address, claim] of entry.rivals)
        if (lapsed(claim, now)) entry.rivals.delete(address);
      if (lapsed(entry, now)) {
        this.entries.delete(instance);
        changed ||= !wasContested;
      } else {
        changed ||= wasContested && !contested(entry);
      }
    }
    return changed;
  }

  /**
   * Whether a refresh query is due now (some entry passed its next refresh point); marks
   * those entries as asked, so each point sends one query.
   */
  takeRefreshDue(now: number): boolean {
    let due = false;
    for (const entry of this.entries.values()) {
      for (const claim of [entry, ...entry.rivals.values()]) {
        const at = refreshPoint(claim);
        if (at !== null && now >= at) {
          claim.asked++;
          due = true;
        }
      }
    }
    return due;
  }

  /** The next time something must happen (a refresh point or an expiry), or null. */
  nextWake(): number | null {
    let next: number | null = null;
    for (const entry of this.entries.values()) {
      for (const claim of [entry, ...entry.rivals.values()]) {
        const at = refreshPoint(claim) ?? claim.seenAt + claim.ttlMs;
        next = Math.min(next ?? at, at);
      }
    }
    return next;
  }

  /** The parties listed: those only one address claims. */
  list(): LanParty[] {
    return [...this.entries.values()]
      .filter((entry) => !contested(entry))
      .map(({ observation }) => partyOf(observation));
  }

  /**
   * The parties not listed because several addresses claim them, each as first heard: shown
   * to say why a friend's party is missing, never to be joined from (either could be its host).
   */
  contestedParties(): LanParty[] {
    return [...this.entries.values()]
      .filter((entry) => contested(entry))
      .map(({ observation }) => partyOf(observation));
  }

  /**
   * Every live claim of `partyId`, listed or contested: which of them is its host cannot be
   * told from the LAN, but one showing the certificate its host showed us (or an invite link
   * names) can be picked from them (electron/core/hosting/host-sources.ts, placesOf).
   */
  claims(partyId: string): LanParty[] {
    const found: LanParty[] = [];
    for (const entry of this.entries.values()) {
      // A rival claims its entry's instance name, which is the party id its TXT names.
      if (entry.observation.summary.party_id !== partyId) continue;
      for (const { observation } of [entry, ...entry.rivals.values()])
        found.push(partyOf(observation));
    }
    return found;
  }

  /** A party not held yet: listed if its address holds few and the list has (or makes) room. */
  private add(observation: Observation, now: number): Observed {
    const holdings = this.holdings();
    const held = holdings.get(observation.address)?.length ?? 0;
    const room =
      held < MAX_PARTIES_PER_ADDRESS &&
      (this.entries.size < this.maxEntries || this.displaceFor(held, holdings));
    if (!room) return { changed: false, rival: null };
    const { ttlMs } = observation;
    const entry = { observation, seenAt: now, ttlMs, asked: 0, rivals: new Map<string, Rival>() };
    this.entries.set(observation.instance, entry);
    return { changed: true, rival: null };
  }

  /**
   * A full list makes room for an address holding `held` parties: the first-heard party of the
   * address holding the most goes, if that holds at least two more (no address crowds out one
   * holding as many, and two cannot take turns pushing each other out).
   */
  private displaceFor(held: number, holdings: Map<string, string[]>): boolean {
    let crowd: string[] = [];
    for (const instances of holdings.values())
      if (instances.length > crowd.length) crowd = instances;
    const first = crowd[0];
    return first !== undefined && crowd.length >= held + 2 && this.entries.delete(first);
  }

  /** The instances each address holds, first heard first. */
  private holdings(): Map<string, string[]> {
    const byAddress = new Map<string, string[]>();
    for (const [instance, { observation }] of this.entries) {
      const instances = byAddress.get(observation.address) ?? [];
      instances.push(instance);
      byAddress.set(observation.address, instances);
    }
    return byAddress;
  }

  /** Another address claims a party we hold: noted until its TTL runs out, never adopted. */
  private rival(entry: Entry, observation: Observation, now: number): Observed {
    const { rivals } = entry;
    const wasContested = contested(entry);
    if (rivals.has(observation.address) || rivals.size < MAX_RIVALS) {
      rivals.set(observation.address, {
        observation,
        seenAt: now,
        ttlMs: observation.ttlMs,
        asked: 0,
      });
    }
    return wasContested
      ? { changed: false, rival: null }
      : { changed: true, rival: { address: observation.address, held: entry.observation.address } };
  }

  get size(): number {
    return this.entries.size;
  }
}

const partyOf = (o: Observation): LanParty => ({
  summary: o.summary,
  address: o.address,
  port: o.port,
});

/** The next time a claim is to be asked about, or null when both queries went out. */
function refreshPoint(claim: Claim): number | null {
  const fraction = REFRESH_AT[claim.asked];
  return fraction === undefined ? null : claim.seenAt + claim.ttlMs * fraction;
}

const lapsed = (claim: Claim, now: number): boolean => now >= claim.seenAt + claim.ttlMs;

function sameParty(a: Observation, b: Observation): boolean {
  return (
    a.address === b.address &&
    a.port === b.port &&
    LAN_TXT_KEYS.every((key) => a.summary[key] === b.summary[key])
  );
}
