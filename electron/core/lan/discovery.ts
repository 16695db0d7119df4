/**
 * LANrage on the LAN: advertises the party this instance hosts and browses for everyone
 * else's, over one multicast DNS transport. A new party is announced three times a second
 * apart (RFC 6762 §8.3), so browsers already running list it within about a second; a
 * browser that starts later asks. Quitting sends goodbyes; a crashed host's party expires
 * from every cache within RECORD_TTL_S (browse-cache.ts).
 */
import type { LanPartySummary } from '../../../shared/lan-party';
import type { Clock, TimerHandle } from '../../../shared/time/clock';
import { withDetail, type Logger } from '../../../shared/logger';
import { BrowseCache, type LanParty } from './browse-cache';
import {
  advertPacket,
  answersFor,
  browseQuery,
  enumerationPacket,
  goodbyePacket,
  type Advert,
  type MdnsPacket,
} from './dns-sd-records';
import type { MdnsTransport } from './mdns-transport';
import { readResponse } from './read-response';
import type { SendHealth } from './send-health';
import { CountedLog, reasonOf } from './counted-log';

/** Announcements of a new or changed advert, ms after it starts (RFC 6762 §8.3). */
const ANNOUNCE_AT_MS = [0, 1000, 2000];
/** Browse queries while nothing is known, backing off to once a minute (§5.2). */
const QUERY_BACKOFF_MS = [0, 1000, 2000, 4000, 8000, 16000, 32000, 60000];
/** The same advert is multicast at most once a second whoever asks (§6): no amplifier. */
const MIN_REPEAT_MS = 1000;
/**
 * Refresh queries at most this often: one browse query is answered for every claim, and a
 * LAN flooding claims with 1 s TTLs at staggered times must not make us query non-stop.
 * Short enough that a 5 s claim asked at 80 % is still answered in time.
 */
export const MIN_REFRESH_GAP_MS = 250;

export interface LanDiscoveryDeps {
  transport: MdnsTransport;
  clock: Clock;
  /** The host name our SRV records point at, e.g. `lanrage-k3x9q2.local`. */
  hostName: string;
  /** Hears what the LAN sent that was not used: warnings, as none of it is ours. */
  logger?: Logger;
  /** Whether its sends get out (send-health.ts); absent: taken as they do. */
  sendHealth?: SendHealth;
}

interface Advertised {
  advert: Advert;
  lastSentAt: number;
  announcements: TimerHandle[];
}

export class LanDiscovery {
  private readonly cache = new BrowseCache();
  private readonly adverts = new Map<string, Advertised>();
  private readonly listeners = new Set<(parties: LanParty[]) => void>();
  private wake: TimerHandle | null = null;
  private nextQuery: TimerHandle | null = null;
  private refreshLater: TimerHandle | null = null;
  private lastRefreshAt = -Infinity;
  private queryStep = 0;
  /** When the service types were last listed for someone who asked (MIN_REPEAT_MS). */
  private enumeratedAt = -Infinity;
  private closed = false;

  /** What the LAN sent that it cannot use, counted (any stranger may flood it). */
  private readonly ignored: CountedLog;

  constructor(private readonly deps: LanDiscoveryDeps) {
    const log = (message: string, detail?: unknown): void =>
      deps.logger?.warn(detail === undefined ? message : withDetail(message, detail));
    this.ignored = new CountedLog('LAN discovery: ignored', log, deps.clock);
    deps.transport.onPacket((packet, from) => this.onPacket(packet, from));
    deps.sendHealth?.onChange(() => this.notify());
  }

  /** Whether its sends keep failing (a firewall, no route): the LAN cannot hear or answer it. */
  sendBlocked(): boolean {
    return this.deps.sendHealth?.blocked ?? false;
  }

  /** Starts browsing. */
  start(): void {
    this.scheduleQuery();
  }

  /** Advertises (or updates) a party this instance hosts. */
  advertise(summary: LanPartySummary): void {
    if (this.closed) return;
    const current = this.adverts.get(summary.party_id);
    const advert: Advert = {
      summary,
      hostName: this.deps.hostName,
      addresses: this.deps.transport.addresses(),
    };
    if (current && JSON.stringify(current.advert) === JSON.stringify(advert)) return;
    for (const t of current?.announcements ?? []) this.deps.clock.clearTimeout(t);
    const entry: Advertised = { advert, lastSentAt: -Infinity, announcements: [] };
    this.adverts.set(summary.party_id, entry);
    entry.announcements = ANNOUNCE_AT_MS.map((ms) =>
      this.deps.clock.setTimeout(() => this.sendAdvert(entry, true), ms),
    );
  }

  /** Stops advertising a party, telling every browser it is gone. */
  withdraw(partyId: string): void {
    const entry = this.adverts.get(partyId);
    if (!entry) return;
    for (const t of entry.announcements) this.deps.clock.clearTimeout(t);
    this.adverts.delete(partyId);
    this.deps.transport.send(goodbyePacket(entry.advert));
  }

  /** Parties found on the LAN (our own adverts included: the caller knows which is its own). */
  parties(): LanParty[] {
    return this.cache.list();
  }

  /** Every live claim of `partyId`, contested ones included (BrowseCache.claims). */
  claims(partyId: string): LanParty[] {
    return this.cache.claims(partyId);
  }

  /** Parties several addresses claim, so not in parties() (BrowseCache.contestedParties). */
  contestedParties(): LanParty[] {
    return this.cache.contestedParties();
  }

  /**
   * Addresses other than ours announcing a party we advertise (none for one we do not): our
   * own other networks are no rivals (BrowseCache), so each is another PC.
   */
  rivalsOf(partyId: string): string[] {
    const advertised = this.adverts.get(partyId);
    if (!advertised) return [];
    // And the addresses it was announced with: its cable out, none is listed any more, and
    // its own claim, heard back and still cached, was taken for another PC's.
    const ours = new Set([...this.deps.transport.addresses(), ...advertised.advert.addresses]);
    const rivals = this.cache.claims(partyId).map((claim) => claim.address);
    return [...new Set(rivals)].filter((address) => !ours.has(address));
  }

  /** A browse query now (or at the end of the refresh gap): someone looks for a party. */
  ask(): void {
    if (!this.closed) this.refresh(this.deps.clock.now());
  }

  subscribe(listener: (parties: LanParty[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Goodbyes for everything advertised, then the socket closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const partyId of [...this.adverts.keys()]) this.withdraw(partyId);
    this.closed = true;
    this.ignored.close();
    if (this.wake) this.deps.clock.clearTimeout(this.wake);
    if (this.nextQuery) this.deps.clock.clearTimeout(this.nextQuery);
    if (this.refreshLater) this.deps.clock.clearTimeout(this.refreshLater);
    await this.deps.transport.close();
  }

  private sendAdvert(entry: Advertised, announcement: boolean): void {
    const now = this.deps.clock.now();
    if (this.closed || (!announcement && now - entry.lastSentAt < MIN_REPEAT_MS)) return;
    entry.lastSentAt = now;
    this.deps.transport.send(advertPacket(entry.advert));
  }

  private onPacket(packet: MdnsPacket, from: string): void {
    if (this.closed) return;
    try {
      if (packet.type === 'query') this.answer(packet);
      else if (packet.type === 'response') this.learn(packet, from);
    } catch (err) {
      this.deps.logger?.warn(withDetail('LAN discovery: packet dropped', err));
    }
  }

  private answer(query: MdnsPacket): void {
    const wanted = answersFor(
      query,
      [...this.adverts.values()].map((a) => a.advert),
    );
    const now = this.deps.clock.now();
    if (wanted.enumerate && now - this.enumeratedAt >= MIN_REPEAT_MS) {
      this.enumeratedAt = now;
      this.deps.transport.send(enumerationPacket());
    }
    for (const advert of wanted.adverts) {
      const entry = this.adverts.get(advert.summary.party_id);
      if (entry) this.sendAdvert(entry, false);
    }
  }

  private learn(packet: MdnsPacket, from: string): void {
    const now = this.deps.clock.now();
    const news = readResponse(packet, from);
    let changed = false;
    for (const instance of news.gone) changed = this.cache.forget(instance, from) || changed;
    for (const seen of news.seen) {
      const observed = this.cache.observe(seen, now);
      changed ||= observed.changed;
      if (observed.rival !== null) {
        const { held, address } = observed.rival;
        const rivals = `${seen.summary.party_id}: ${held} and ${address}`;
        this.deps.logger?.warn(
          `LAN discovery: a party announced from two addresses is not listed: ${rivals}`,
        );
      }
    }
    if (news.refused.length > 0) {
      const kinds = news.refused.map((refusal) => `${from}: ${reasonOf(refusal)}`);
      this.ignored.add(kinds, news.refused);
    }
    if (changed) this.notify();
    this.scheduleWake();
  }

  private maintain(): void {
    this.wake = null;
    const now = this.deps.clock.now();
    const expired = this.cache.expire(now);
    if (this.cache.takeRefreshDue(now)) this.refresh(now);
    if (expired) this.notify();
    this.scheduleWake();
  }

  /** A refresh query now, or one at the end of the gap when one went out just before. */
  private refresh(now: number): void {
    const wait = this.lastRefreshAt + MIN_REFRESH_GAP_MS - now;
    if (wait <= 0) {
      this.lastRefreshAt = now;
      this.deps.transport.send(browseQuery());
      return;
    }
    this.refreshLater ??= this.deps.clock.setTimeout(() => {
      this.refreshLater = null;
      if (!this.closed) this.refresh(this.deps.clock.now());
    }, wait);
  }

  private scheduleWake(): void {
    if (this.closed) return;
    if (this.wake) this.deps.clock.clearTimeout(this.wake);
    const at = this.cache.nextWake();
    this.wake =
      at === null
        ? null
        : this.deps.clock.setTimeout(
            () => this.maintain(),
            Math.max(0, at - this.deps.clock.now()),
          );
  }

  private scheduleQuery(): void {
    const delay = QUERY_BACKOFF_MS[Math.min(this.queryStep, QUERY_BACKOFF_MS.length - 1)]!;
    this.queryStep++;
    this.nextQuery = this.deps.clock.setTimeout(() => {
      if (this.closed) return;
      this.deps.transport.send(browseQuery());
      this.scheduleQuery();
    }, delay);
  }

  private notify(): void {
    const list = this.parties();
    for (const listener of this.listeners) listener(list);
  }
}
