/**
 * What every control plane holds: the parties in memory as its server last told them,
 * persisted to control_state.json, the heartbeat timer, its subscribers and its
 * connection status. ControlPlane (control-plane.ts) adds the reads and declares the
 * requests; the planes that send them to a server (remote/, local/) reuse this protected API
 * (commit, emitChange, scheduleSave, setStatus).
 */
import { ControlPlaneError } from '../../shared/protocol/errors';
import type { PartyInfo, PeerInfo } from '../../shared/model';
import type { PartyEvent, Transition } from '../../shared/party/events';
import type { PresenceDict } from '../../shared/presence';
import { localStatus, type ConnectionStatus } from '../../shared/status';
import type { Config } from './config/config';
import { ChangeFeed } from './change-feed';
import { consoleLogger } from './logger';
import type { Logger } from '../../shared/logger';
import { PartyTable } from './party-table';
import { PlaneTimers } from './plane-timers';
import { systemClock, type Clock } from '../../shared/time/clock';
import type { Report } from './notices';
import { forPeerId } from './state/previous-peer-id';
import type { PersistedState } from './state/state-file';
import { StateStore } from './state/state-store';
import type { ControlPlaneChange, ControlPlaneListener } from './types';

export interface ControlPlaneOptions {
  clock?: Clock;
  logger?: Logger;
  /** Changes within this window are saved in one write (default 100 ms). */
  saveDelayMs?: number;
  /** Tells the user about storage faults (the UI's notices); the log alone is not enough. */
  report?: Report;
  /** Writes control_state.json (default: atomically); a test or the bench counts writes. */
  writeState?: (path: string, text: string) => Promise<void>;
}

export interface CommitOptions {
  /** The party was registered or joined by this instance as this peer. */
  joinedAs?: string;
  /** Saved but not told yet: the caller tells once it is on disk (an entry, enterNow). */
  untold?: true;
}

export const DEFAULT_SAVE_DELAY_MS = 100;

export function partyNotFound(partyId: string): ControlPlaneError {
  return new ControlPlaneError('Party not found', { code: 'not_found', field: partyId });
}

export abstract class PlaneState {
  readonly config: Config;
  myPeerId: string | null = null;
  /**
   * My profile as this app last gave it (at start, join, register, update): what a resync
   * tells the server. Never the server's copy of my entry, which a hostile server may rewrite.
   */
  ownProfile: PeerInfo | null = null;
  myPartyId: string | null = null;
  /** My party as loaded from disk (what the last run showed), before any server spoke. */
  loadedParty: PartyInfo | null = null;
  protected readonly clock: Clock;
  protected readonly logger: Logger;
  protected readonly store: StateStore;
  private readonly report: Report | undefined;
  private readonly table = new PartyTable();
  private readonly feed: ChangeFeed;
  private readonly timers: PlaneTimers;
  private currentStatus: ConnectionStatus;

  constructor(config: Config, options: ControlPlaneOptions = {}) {
    this.config = config;
    this.report = options.report;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? consoleLogger;
    this.store = new StateStore(config.stateFile, {
      clock: this.clock,
      logger: this.logger,
      saveDelayMs: options.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS,
      snapshot: () => this.snapshot(),
      report: options.report,
      writeFile: options.writeState,
    });
    this.feed = new ChangeFeed(this.logger);
    this.currentStatus = localStatus(
      config.heartbeatIntervalMs,
      config.peerTimeoutMs,
      config.lanListen,
    );
    this.timers = new PlaneTimers(this.clock, this.logger, {
      heartbeat: () => this.automaticHeartbeat(),
    });
  }

  /** What the heartbeat timer runs. */
  protected abstract automaticHeartbeat(): Promise<void>;

  get parties(): ReadonlyMap<string, PartyInfo> {
    return this.table.parties;
  }

  /** Parties this instance's own peer is a member of. */
  get activePartyIds(): ReadonlySet<string> {
    return this.table.mine;
  }

  get stateFile(): string {
    return this.config.stateFile;
  }

  /**
   * Loads persisted state, starts the heartbeat timer, saves. Saved under another peer id than
   * ownProfile's (the identity's, set before this), the parties the old id is in are left out
   * (previous-peer-id.ts).
   */
  async initialize(): Promise<void> {
    const context = { path: this.config.stateFile, logger: this.logger, report: this.report };
    const loaded = await this.store.load();
    const me = this.ownProfile?.peerId ?? null;
    const state = await forPeerId(loaded, me, { ...context, now: this.clock.now() });
    this.myPeerId = state.myPeerId;
    for (const [id, party] of state.parties) this.commit(id, { party, events: [] });
    this.myPartyId =
      state.myPartyId !== null && this.table.parties.has(state.myPartyId) ? state.myPartyId : null;
    this.loadedParty = this.myPartyId === null ? null : this.parties.get(this.myPartyId)!;
    if (state.hostPins) this.restorePins(state.hostPins);
    if (state.hostAt) this.restoreHostAt(state.hostAt);
    this.timers.start(this.currentStatus.heartbeatIntervalMs);
    this.scheduleSave();
    await this.store.flush();
  }

  presenceOf(partyId: string): ReadonlyMap<string, PresenceDict> {
    return this.table.presence.of(partyId);
  }

  status(): ConnectionStatus {
    return { ...this.currentStatus };
  }

  subscribe(listener: ControlPlaneListener): () => void {
    return this.feed.subscribe(listener);
  }

  /** Stops every timer and writes any pending change. Safe to call twice. */
  async close(): Promise<void> {
    this.timers.stop();
    await this.store.flush();
  }

  /** Waits for pending saves without stopping anything. */
  async flush(): Promise<void> {
    await this.store.flush();
  }

  /**
   * Applies a transition's result: stores or deletes the party, keeps myPartyId and
   * activePartyIds right, notifies subscribers and schedules a save.
   */
  protected commit(partyId: string, t: Transition, options: CommitOptions = {}): void {
    if (options.joinedAs !== undefined) {
      this.myPeerId = options.joinedAs;
      if (t.party) this.myPartyId = partyId;
    }
    const before = this.table.apply(partyId, t, this.myPeerId);
    if (!this.table.mine.has(partyId) && this.myPartyId === partyId) this.myPartyId = null;
    if (before === t.party && t.events.length === 0) return;
    if (!options.untold)
      this.emitChange({ kind: 'party', partyId, party: t.party, events: t.events });
    this.scheduleSave();
  }

  /** Replaces every member's presence (a server snapshot). */
  protected setPresence(partyId: string, presence: ReadonlyMap<string, PresenceDict>): void {
    this.table.presence.set(partyId, presence);
  }

  /** Local mode: presence derived from last seen; returns the events for what changed. */
  protected derivedPresenceEvents(party: PartyInfo): PartyEvent[] {
    return this.table.presence.derive(
      party,
      this.clock.now(),
      this.currentStatus.heartbeatIntervalMs,
    );
  }

  protected emitChange(change: ControlPlaneChange): void {
    this.feed.emit(change);
  }

  protected scheduleSave(): void {
    this.store.schedule();
  }

  protected setStatus(partial: Partial<ConnectionStatus>): void {
    this.currentStatus = { ...this.currentStatus, ...partial };
    this.emitChange({ kind: 'status', status: this.status() });
  }

  /**
   * Changes the status without telling anyone: for a field the next setStatus (due at once)
   * must carry, where a status of its own would show a state between the two.
   */
  protected setStatusUntold(partial: Partial<ConnectionStatus>): void {
    this.currentStatus = { ...this.currentStatus, ...partial };
  }

  protected nowDate(): Date {
    return new Date(this.clock.now());
  }

  protected get isClosed(): boolean {
    return this.timers.isStopped;
  }

  protected requireParty(partyId: string): PartyInfo {
    const party = this.table.parties.get(partyId);
    if (!party) throw partyNotFound(partyId);
    return party;
  }

  private snapshot(): PersistedState {
    const { parties } = this.table;
    const pins = this.savedPins();
    const me = { myPeerId: this.myPeerId, myPartyId: this.myPartyId };
    return { parties, ...me, hostPins: pins, hostAt: this.savedHostAt() };
  }

  /** Saved with the state: the certificates our LAN parties' hosts showed (HostingPlane). */
  protected savedPins(): ReadonlyMap<string, string> {
    return new Map();
  }

  /** The pins the last run saved, given once its parties are loaded back. */
  protected restorePins(pins: ReadonlyMap<string, string>): void {
    void pins;
  }

  /** Saved with the state: where the hosts of parties joined at a link's address answered. */
  protected savedHostAt(): ReadonlyMap<string, readonly string[]> {
    return new Map();
  }

  /** Those the last run saved, given after its pins (HostingPlane). */
  protected restoreHostAt(at: ReadonlyMap<string, readonly string[]>): void {
    void at;
  }

  /**
   * Sets the period of the automatic heartbeats (remote mode: the server's announced
   * heartbeat_interval), restarting the one heartbeat timer if the period changed.
   */
  protected setHeartbeatInterval(intervalMs: number): void {
    const changed = intervalMs !== this.currentStatus.heartbeatIntervalMs;
    this.setStatus({ heartbeatIntervalMs: intervalMs });
    if (changed) this.timers.setHeartbeatPeriod(intervalMs);
  }
}
