/**
 * The base control plane: parties in memory, persisted to control_state.json, swept of
 * silent peers. Party semantics come only from shared/party-transitions; this class owns
 * storage, timers and change notification. LocalControlPlane and RemoteControlPlane
 * extend it and reuse the protected API (commit, emitChange, scheduleSave, setStatus).
 */
import type { PartySummaryDict } from '../../shared/access-protocol';
import { ControlPlaneError } from '../../shared/errors';
import { partySummary } from '../../shared/party-summary';
import type { PartyInfo, PeerInfo } from '../../shared/model';
import * as transitions from '../../shared/party-transitions';
import type { PartyEvent, Transition } from '../../shared/party-events';
import { PresenceStatus, type PresenceDict } from '../../shared/presence';
import { MAX_PEERS_PER_PARTY, type NewPartySettings } from '../../shared/party-settings';
import { localStatus, type ConnectionStatus } from '../../shared/status';
import type { Config } from './config/config';
import { ChangeFeed } from './change-feed';
import { consoleLogger } from './logger';
import type { Logger } from '../../shared/logger';
import { PartyTable } from './party-table';
import { PlaneTimers } from './plane-timers';
import { systemClock, type Clock } from './scheduler';
import type { Report } from './notices';
import type { PersistedState } from './state/state-file';
import { StateStore } from './state/state-store';
import type {
  ControlPlaneApi,
  ControlPlaneChange,
  ControlPlaneListener,
  JoinCredentials,
  PartyAccess,
} from './types';

export interface ControlPlaneOptions {
  clock?: Clock;
  logger?: Logger;
  /** Changes within this window are saved in one write (default 100 ms). */
  saveDelayMs?: number;
  /** Tells the user about storage faults (the UI's notices); the log alone is not enough. */
  report?: Report;
}

export interface CommitOptions {
  /** The party was registered or joined by this instance as this peer. */
  joinedAs?: string;
}

export const DEFAULT_SAVE_DELAY_MS = 100;

export function partyNotFound(partyId: string): ControlPlaneError {
  return new ControlPlaneError('Party not found', { code: 'not_found', field: partyId });
}

export class ControlPlane implements ControlPlaneApi {
  readonly config: Config;
  myPeerId: string | null = null;
  myPartyId: string | null = null;
  protected readonly clock: Clock;
  protected readonly logger: Logger;
  protected readonly store: StateStore;
  private readonly table = new PartyTable();
  private readonly feed: ChangeFeed;
  private readonly timers: PlaneTimers;
  private currentStatus: ConnectionStatus;

  constructor(config: Config, options: ControlPlaneOptions = {}) {
    this.config = config;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? consoleLogger;
    this.store = new StateStore(config.stateFile, {
      clock: this.clock,
      logger: this.logger,
      saveDelayMs: options.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS,
      snapshot: () => this.snapshot(),
      report: options.report,
    });
    this.feed = new ChangeFeed(this.logger);
    this.currentStatus = localStatus(config.heartbeatIntervalMs);
    this.timers = new PlaneTimers(this.clock, this.logger, {
      cleanup: () => this.cleanup(),
      heartbeat: () => this.automaticHeartbeat(),
    });
  }

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

  /** Completed writes of control_state.json (for tests and the benchmark). */
  get saveCount(): number {
    return this.store.writeCount;
  }

  /** Loads persisted state, starts the cleanup and heartbeat timers, saves. */
  async initialize(): Promise<void> {
    const state = await this.store.load();
    this.myPeerId = state.myPeerId;
    for (const [id, party] of state.parties) this.commit(id, { party, events: [] });
    this.myPartyId =
      state.myPartyId !== null && this.table.parties.has(state.myPartyId) ? state.myPartyId : null;
    this.timers.start(this.config.cleanupIntervalMs, this.currentStatus.heartbeatIntervalMs);
    this.scheduleSave();
    await this.store.flush();
  }

  async registerParty(
    partyId: string,
    name: string,
    hostPeerInfo: PeerInfo,
    settings?: NewPartySettings,
  ): Promise<PartyInfo> {
    if (this.table.parties.has(partyId)) {
      throw new ControlPlaneError(`Party ${partyId} already exists`, { code: 'conflict' });
    }
    const t = transitions.createParty(partyId, name, hostPeerInfo, this.nowDate(), settings);
    this.commit(partyId, t, { joinedAs: hostPeerInfo.peerId });
    return Promise.resolve(t.party!);
  }

  /** Local mode has no server to enforce access rules (issue 11 brings one). */
  get access(): PartyAccess | null {
    return null;
  }

  /** Local mode: nobody checks credentials, so they are not needed. */
  async joinParty(
    partyId: string,
    peerInfo: PeerInfo,
    _credentials?: JoinCredentials,
  ): Promise<PartyInfo> {
    const t = transitions.joinParty(this.requireParty(partyId), peerInfo, this.nowDate(), {
      maxPeers: MAX_PEERS_PER_PARTY,
    });
    this.commit(partyId, t, { joinedAs: peerInfo.peerId });
    return Promise.resolve(t.party!);
  }

  /** Leaving a party that is unknown, or one the peer is not in, changes nothing. */
  async leaveParty(partyId: string, peerId: string): Promise<void> {
    const party = this.table.parties.get(partyId);
    if (party) this.commit(partyId, transitions.leaveParty(party, peerId, this.successors(party)));
    if (peerId === this.myPeerId && partyId === this.myPartyId) this.myPartyId = null;
    return Promise.resolve();
  }

  async transferHost(partyId: string, toPeerId: string): Promise<void> {
    const party = this.requireParty(partyId);
    this.commit(partyId, transitions.transferHost(party, this.myPeerId ?? '', toPeerId));
    return Promise.resolve();
  }

  async closeParty(partyId: string): Promise<void> {
    const party = this.requireParty(partyId);
    this.commit(partyId, transitions.closeParty(party, this.myPeerId ?? ''));
    return Promise.resolve();
  }

  presenceOf(partyId: string): ReadonlyMap<string, PresenceDict> {
    return this.table.presence.of(partyId);
  }

  /** The online members of a party, longest present (first joined) first. */
  protected successors(party: PartyInfo): string[] {
    const presence = this.presenceOf(party.partyId);
    return [...party.peers.keys()].filter(
      (id) => presence.get(id)?.status !== PresenceStatus.OFFLINE,
    );
  }

  async updatePeer(partyId: string, peerInfo: PeerInfo): Promise<void> {
    const party = this.requireParty(partyId);
    this.commit(partyId, transitions.updatePeer(party, peerInfo, this.nowDate()));
    return Promise.resolve();
  }

  async getParty(partyId: string): Promise<PartyInfo | null> {
    return Promise.resolve(this.table.parties.get(partyId) ?? null);
  }

  async getPeers(partyId: string): Promise<Map<string, PeerInfo>> {
    return Promise.resolve(new Map(this.table.parties.get(partyId)?.peers ?? []));
  }

  async discoverPeer(partyId: string, peerId: string): Promise<PeerInfo | null> {
    return Promise.resolve(this.table.parties.get(partyId)?.peers.get(peerId) ?? null);
  }

  async heartbeat(partyId: string, peerId: string): Promise<void> {
    const party = this.requireParty(partyId);
    this.commit(partyId, transitions.heartbeat(party, peerId, this.nowDate()));
    if (peerId === this.myPeerId) this.setStatus({ lastHeartbeatAt: this.clock.now() });
    return Promise.resolve();
  }

  /** The base knows only its own parties; LocalControlPlane reads discovery.json. */
  async discoverParties(): Promise<Map<string, PartyInfo>> {
    return Promise.resolve(new Map(this.table.parties));
  }

  async previewParty(partyId: string): Promise<PartySummaryDict | null> {
    const party = (await this.discoverParties()).get(partyId);
    return party ? partySummary(party) : null;
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

  /** Removes peers silent longer than peerTimeout, and the parties that leaves empty or hostless. */
  protected async cleanup(): Promise<void> {
    const now = this.nowDate();
    for (const [id, party] of [...this.table.parties]) {
      const t = transitions.sweepParty(party, now, this.config.peerTimeoutMs);
      if (t.party !== party) this.commit(id, t);
    }
    return Promise.resolve();
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
    return { parties: this.table.parties, myPeerId: this.myPeerId, myPartyId: this.myPartyId };
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

  /** What the heartbeat timer runs: a beat for our own peer in our own party, if any. */
  protected async automaticHeartbeat(): Promise<void> {
    const { myPartyId, myPeerId } = this;
    if (myPartyId === null || myPeerId === null) return;
    if (!this.table.parties.get(myPartyId)?.peers.has(myPeerId)) return;
    await this.heartbeat(myPartyId, myPeerId);
  }
}
