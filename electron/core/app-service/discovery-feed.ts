/**
 * "Parties nearby", pushed: parties hosted on this PC (the control plane's discovery.json)
 * and on the LAN (mDNS), merged, and sent to the UI when the list changes. Nothing polls:
 * the LAN browser, the control plane's changes, the connection status and my own party
 * each say when to look again, and looks that overlap coalesce into one.
 */
import type { DiscoveredParty, PartyEnded, StateEvent } from '../../../shared/ipc/app-state';
import type { LanPartySummary } from '../../../shared/lan-party';
import { nearbyList } from './views';
import { withDetail, type Logger } from '../../../shared/logger';
import type { LanParty } from '../lan/browse-cache';
import type { ControlPlaneApi } from '../types';
import type { Report } from '../notices';
import { BackWatch, type BackWatchDeps } from './back-watch';

/** LAN discovery as the app uses it (lan/discovery.ts). */
export interface LanDirectory {
  parties(): LanParty[];
  /** Every live claim of a party, contested ones included. */
  claims?(partyId: string): LanParty[];
  /** Parties several addresses claim, so not in parties(). */
  contestedParties?(): LanParty[];
  /** Other PCs' addresses announcing a party we advertise. */
  rivalsOf?(partyId: string): string[];
  subscribe(listener: (parties: LanParty[]) => void): () => void;
  /** Asks the network for its parties now (rate-limited by the browser). */
  ask?(): void;
  /** Whether its sends keep failing (lan/send-health.ts); told through subscribe. */
  sendBlocked?(): boolean;
  advertise(summary: LanPartySummary): void;
  withdraw(partyId: string): void;
  close(): Promise<void>;
}

export interface DiscoveryFeedDeps {
  logger: Logger;
  emit: (event: StateEvent) => void;
  /** The current control plane (it is replaced when the settings change). */
  control: () => ControlPlaneApi;
  /** My party, which is never offered to me. */
  myPartyId: () => string | null;
  lan: LanDirectory | null;
  /** Tells the user something (a PC announcing the party this one hosts). */
  report?: Report;
  /** "<party> is back" once a party whose host went away is listed again (back-watch.ts). */
  back?: BackWatchDeps;
}

/** Only where joining a nearby party can work: without a server, or offline from it. */
export const looksNearby = (control: ControlPlaneApi): boolean => {
  const { state } = control.status();
  return state === 'local' || state === 'offline';
};

export class DiscoveryFeed {
  list: DiscoveredParty[] = [];
  private running: Promise<void> | null = null;
  private dirty = false;
  private unsubscribe: () => void = () => {};
  private readonly rivals: RivalWatch;
  private readonly back: BackWatch | null;

  constructor(private readonly deps: DiscoveryFeedDeps) {
    this.rivals = new RivalWatch(deps.lan, deps.report);
    // Told back only from its host's certificate: the current plane keeps the pins.
    const pinOf = (partyId: string) => deps.control().hostPinOf?.(partyId);
    this.back = deps.back ? new BackWatch({ pinOf, ...deps.back }) : null;
  }

  start(): void {
    this.unsubscribe = this.deps.lan?.subscribe(() => this.changed()) ?? (() => {});
  }

  stop(): void {
    this.unsubscribe();
    this.unsubscribe = () => {};
  }

  /** Something nearby may have changed: look again (once, however often this is called). */
  changed(): void {
    this.dirty = true;
    this.running ??= this.drain().finally(() => (this.running = null));
  }

  /** My party ended (`ended` says why): one whose host went away may come back. */
  ended(partyId: string, ended: PartyEnded): void {
    this.back?.ended(partyId, ended);
    this.changed();
  }

  /** Looks now; resolves with the list as it is after the look. */
  async refresh(): Promise<DiscoveredParty[]> {
    this.changed();
    await this.running;
    return this.list;
  }

  private async drain(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      try {
        await this.look();
      } catch (err) {
        // The next change looks again: the list shown stays as it was meanwhile.
        this.deps.logger.warn(withDetail('Discovery failed', err));
      }
    }
  }

  private async look(): Promise<void> {
    const control = this.deps.control();
    const nearby = looksNearby(control);
    const thisPc = nearby ? await control.discoverParties() : new Map();
    const lan = nearby ? (this.deps.lan?.parties() ?? []) : [];
    const contested = nearby ? (this.deps.lan?.contestedParties?.() ?? []) : [];
    const at = nearby ? (control.nearbyAt?.() ?? []) : [];
    const list = nearbyList(thisPc, lan, this.deps.myPartyId(), contested, at);
    if (nearby) this.rivals.check(this.deps.myPartyId());
    this.back?.check(list, this.deps.myPartyId());
    if (sameList(list, this.list)) return;
    this.list = list;
    this.deps.emit({ type: 'discovered', parties: list });
  }
}

const KEYS = [
  'party_id',
  'name',
  'host_name',
  'peer_count',
  'max_peers',
  'join_policy',
  'online_count',
  'created_at',
  'where',
  'address',
  'contested',
  'host_pin',
  'at_address',
] as const;

function sameList(a: readonly DiscoveredParty[], b: readonly DiscoveredParty[]): boolean {
  return a.length === b.length && a.every((p, i) => KEYS.every((k) => p[k] === b[i]![k]));
}

/**
 * Tells the host, once per address, of another PC announcing its party: guests' "Parties
 * nearby" stops listing it (BrowseCache), and only the host can tell them what to do instead.
 */
class RivalWatch {
  private partyId: string | null = null;
  private readonly told = new Set<string>();

  constructor(
    private readonly lan: LanDirectory | null,
    private readonly report: Report | undefined,
  ) {}

  check(myPartyId: string | null): void {
    if (myPartyId !== this.partyId) this.told.clear();
    this.partyId = myPartyId;
    if (myPartyId === null || !this.report) return;
    const rivals = new Set(this.lan?.rivalsOf?.(myPartyId) ?? []);
    // Only current rivals are remembered: one that comes back after lapsing is told again.
    for (const address of this.told) if (!rivals.has(address)) this.told.delete(address);
    for (const address of rivals) {
      if (this.told.has(address)) continue;
      this.told.add(address);
      this.report(rivalNotice(address));
    }
  }
}

export const rivalNotice = (address: string): string =>
  `Another PC on your network (${address}) also announces your party. Friends will not find ` +
  'it under “Parties nearby” while it does: send them your invite link instead.';
