/**
 * The parties a browser currently believes in, with RFC 6762 §5.2 cache maintenance:
 * an entry lives for its TTL from the last answer that confirmed it, the browser asks again
 * at 80 % and 90 % of it, and an entry nobody confirmed is dropped at 100 %. Pure: times
 * are passed in.
 */
import { LAN_TXT_KEYS, type LanPartySummary } from '../../../shared/lan-party';
import type { Observation } from './dns-sd-records';

/** A party found on the LAN, and where its host's control server listens. */
export interface LanParty {
  summary: LanPartySummary;
  address: string;
  port: number;
}

interface Entry {
  observation: Observation;
  seenAt: number;
  /** Refresh queries sent since it was last confirmed (0, 1 or 2). */
  asked: number;
}

/** Fractions of the TTL at which a refresh query goes out. */
const REFRESH_AT = [0.8, 0.9] as const;
/** A LAN flood must not grow the list (and the UI) without bound. */
export const MAX_LAN_PARTIES = 64;

export class BrowseCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries: number = MAX_LAN_PARTIES) {}

  /** Records an answer; true when the list as shown changed. */
  observe(observation: Observation, now: number): boolean {
    const before = this.entries.get(observation.instance);
    if (!before && this.entries.size >= this.maxEntries) return false;
    this.entries.set(observation.instance, { observation, seenAt: now, asked: 0 });
    return !before || !sameParty(before.observation, observation);
  }

  /** A goodbye; true when it removed something. */
  forget(instance: string): boolean {
    return this.entries.delete(instance);
  }

  /** Drops every entry whose TTL ran out; true when any was dropped. */
  expire(now: number): boolean {
    let changed = false;
    for (const [instance, entry] of this.entries) {
      if (now >= entry.seenAt + entry.observation.ttlMs) {
        this.entries.delete(instance);
        changed = true;
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
      const at = this.refreshPoint(entry);
      if (at !== null && now >= at) {
        entry.asked++;
        due = true;
      }
    }
    return due;
  }

  /** The next time something must happen (a refresh point or an expiry), or null. */
  nextWake(): number | null {
    let next: number | null = null;
    for (const entry of this.entries.values()) {
      const at = this.refreshPoint(entry) ?? entry.seenAt + entry.observation.ttlMs;
      next = next === null ? at : Math.min(next, at);
    }
    return next;
  }

  list(): LanParty[] {
    return [...this.entries.values()].map(({ observation: o }) => ({
      summary: o.summary,
      address: o.address,
      port: o.port,
    }));
  }

  get size(): number {
    return this.entries.size;
  }

  private refreshPoint(entry: Entry): number | null {
    const fraction = REFRESH_AT[entry.asked];
    return fraction === undefined ? null : entry.seenAt + entry.observation.ttlMs * fraction;
  }
}

function sameParty(a: Observation, b: Observation): boolean {
  return (
    a.address === b.address &&
    a.port === b.port &&
    LAN_TXT_KEYS.every((key) => a.summary[key] === b.summary[key])
  );
}
