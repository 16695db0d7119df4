/**
 * The app's brain, free of Electron: owns the control plane (which sends the heartbeats),
 * my peer information and the discovery loop, and answers every IPC channel. The Electron
 * shell and the headless server are thin bridges over it.
 */
import { AccessDesk, newPartySettings } from './access-handlers';
import { ControlPlaneError } from '../../../shared/errors';
import type {
  AppState,
  IpcRequest,
  PartyView,
  ServerCheck,
  Settings,
  StateEvent,
} from '../../../shared/ipc';
import { parseInvite } from '../../../shared/invite';
import { PartyInfo, type PeerInfo } from '../../../shared/model';
import type { NewPartySettings } from '../../../shared/party-settings';
import type { PartyEvent } from '../../../shared/party-transitions';
import * as errors from './errors';
import type { AppService, NotificationIntent, TrayInputs } from './types';
import { initialPeer, localIpv4, partyPatches, partyView } from './views';
import type { Config, ConfigChanges } from '../config/config';
import { DiscoveryFeed, type LanDirectory } from './discovery-feed';
import { attachLan } from '../lan/bridge';
import { InvitePrompt } from './invite-prompt';
import { NotificationCoalescer } from '../notifications/notification-coalescer';
import { NoticeBoard } from '../notices';
import { PartyNews } from '../notifications/party-activity';
import { NOTIFICATION_WINDOW_MS, PARTY_PHRASES } from '../notifications/party-notifications';
import type { IpcHandlers, IpcLogger } from './ipc-registry';
import { systemClock } from '../scheduler';
import type { Clock } from '../scheduler';
import { probeControlServer } from '../remote/server-probe';
import type { ControlPlaneApi, ControlPlaneChange } from '../types';

export { WIREGUARD_PORT } from './views';

export interface AppServiceDeps {
  config: Config;
  identity: { peerId: string; publicKey: string };
  createControlPlane: (config: Config) => ControlPlaneApi;
  clock?: Clock;
  localIp?: () => string;
  log?: IpcLogger;
  /** LAN discovery (mDNS); null or absent: parties on this PC only. Closed with the service. */
  lan?: LanDirectory | null;
  /** What the user is told outside of answers (storage faults, clamped settings). */
  notices?: NoticeBoard;
  /** At most one desktop notification per party this often (default NOTIFICATION_WINDOW_MS). */
  notificationWindowMs?: number;
  /** Settings' server check (default: connect and say hello, see server-probe.ts). */
  probeServer?: (url: string) => Promise<ServerCheck>;
}

/** Builds the service and starts its control plane (which loads persisted state). */
export async function createAppService(deps: AppServiceDeps): Promise<AppService> {
  const service = new LanrageAppService(deps);
  await service.start();
  return service;
}

class LanrageAppService implements AppService {
  readonly handlers: IpcHandlers;
  private config: Config;
  private control: ControlPlaneApi;
  private me: PeerInfo;
  private lastParty: PartyView | null = null;
  /** The party (as the control plane committed it) that `lastParty` shows. */
  private shownParty: PartyInfo | null = null;
  private unsubscribeControl: () => void = () => {};
  private readonly stateListeners = new Set<(event: StateEvent) => void>();
  private readonly notificationListeners = new Set<(intent: NotificationIntent) => void>();
  private readonly clock: Clock;
  private readonly log: IpcLogger;
  private readonly discovery: DiscoveryFeed;
  private readonly notifier: NotificationCoalescer;
  private readonly news: PartyNews;
  private queue: Promise<unknown> = Promise.resolve();
  private closed: Promise<void> | null = null;
  private readonly notices: NoticeBoard;
  private readonly invite: InvitePrompt;
  private readonly desk: AccessDesk;

  constructor(private readonly deps: AppServiceDeps) {
    this.config = deps.config;
    this.notices = deps.notices ?? new NoticeBoard();
    this.notices.subscribe((notices) => this.emit({ type: 'notices', notices }));
    this.invite = new InvitePrompt(
      (invite) => this.emit({ type: 'invite', invite }),
      this.notices.report,
    );
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? ((message, detail) => console.error(message, detail));
    this.discovery = new DiscoveryFeed({
      log: this.log,
      emit: (event) => this.emit(event),
      control: () => this.control,
      myPartyId: () => this.lastParty?.party_id ?? null,
      lan: deps.lan ?? null,
    });
    this.notifier = new NotificationCoalescer({
      clock: this.clock,
      windowMs: deps.notificationWindowMs ?? NOTIFICATION_WINDOW_MS,
      phrases: PARTY_PHRASES,
      deliver: (intent) => errors.callEach(this.notificationListeners, intent, this.log),
    });
    this.news = new PartyNews(
      (event) => this.emit(event),
      (activity) => this.notifier.add(activity),
    );
    const ip = (deps.localIp ?? localIpv4)();
    this.me = initialPeer(deps.identity, this.config.peerName, ip, new Date(this.clock.now()));
    this.control = deps.createControlPlane(this.config);
    this.desk = new AccessDesk({
      control: () => this.control,
      party: () => this.lastParty,
      refreshParty: () => (this.setParty(this.currentParty(), []), this.lastParty),
      myPeerId: () => this.me.peerId,
      now: () => this.clock.now(),
      emit: (event) => this.emit(event),
      notify: (intent) => errors.callEach(this.notificationListeners, intent, this.log),
    });
    this.handlers = this.buildHandlers();
  }

  async start(): Promise<void> {
    await this.attach(this.control);
    // The control plane sends its own heartbeats; "Parties nearby" follows pushes.
    this.discovery.start();
    await this.discovery.refresh();
  }

  // ---- AppService -------------------------------------------------------------------

  snapshot(): AppState {
    return {
      status: this.control.status(),
      me: this.me.toDict(),
      party: this.lastParty,
      discovered: this.discovery.list,
      settings: this.settings(),
      peer_timeout: this.config.peerTimeout,
      notices: this.notices.list(),
      invite: this.invite.value,
      first_run: !this.config.welcomeDone,
      activity: this.news.activity,
      ended: this.news.ended,
      pending_join: this.desk.pendingJoin,
      join_requests: this.desk.joinRequests,
    };
  }

  onStateEvent(listener: (event: StateEvent) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onNotification(listener: (intent: NotificationIntent) => void): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  openInvite(link: string): Promise<void> {
    return this.invite.open(link, (partyId) => this.control.previewParty(partyId));
  }

  trayInputs(): TrayInputs {
    const party = this.currentParty();
    return {
      status: this.control.status(),
      party,
      myPeerId: this.me.peerId,
      presence: party ? this.control.presenceOf(party.partyId) : new Map(),
    };
  }

  close(): Promise<void> {
    this.closed ??= this.exclusive(async () => {
      this.discovery.stop();
      this.notifier.close();
      this.unsubscribeControl();
      await this.control.close();
      // Goodbyes go out before the socket closes: the party leaves every list on the LAN.
      await this.deps.lan?.close();
    });
    return this.closed;
  }

  // ---- handlers ---------------------------------------------------------------------

  private buildHandlers(): IpcHandlers {
    return {
      ...this.desk.handlers(),
      getState: () => Promise.resolve(this.snapshot()),
      createParty: ({ name, host_migration, settings }) =>
        this.exclusive(() =>
          this.createParty(name, newPartySettings(host_migration ?? false, settings)),
        ),
      joinParty: ({ invite, password }) => this.exclusive(() => this.joinParty(invite, password)),
      leaveParty: (how) => this.exclusive(() => this.leaveParty(how)),
      transferHost: ({ peer_id }) => this.exclusive(() => this.transferHost(peer_id)),
      dismissEnded: () => Promise.resolve(this.news.setEnded(null)),
      discoverParties: () => this.discovery.refresh(),
      getSettings: () => Promise.resolve(this.settings()),
      saveSettings: (settings) => this.exclusive(() => this.saveSettings(settings)),
      dismissNotice: ({ id }) => {
        this.notices.dismiss(id);
        return Promise.resolve(null);
      },
      dismissInvite: () => {
        this.invite.clear();
        return Promise.resolve(null);
      },
      testServer: ({ url }) => (this.deps.probeServer ?? probeControlServer)(url),
      finishWelcome: ({ settings }) =>
        this.exclusive(async () => {
          const saved = await this.saveSettings(settings ?? this.settings(), { welcomeDone: true });
          this.emit({ type: 'first_run', first_run: false });
          return saved;
        }),
    };
  }

  private async createParty(name: string, settings: NewPartySettings): Promise<PartyView> {
    this.refuseIfInParty();
    const id = PartyInfo.generatePartyId();
    const party = await this.control
      .registerParty(id, name, this.freshMe(), settings)
      .catch((err) => {
        throw errors.explainCreateFailure(err, this.config.controlServer);
      });
    return this.showParty(party);
  }

  /** With a password or an invite (issue 10); waits while the host decides (`pending_join`). */
  private async joinParty(invite: string, password?: string): Promise<PartyView> {
    const parsed = parseInvite(invite);
    if (!parsed.ok)
      throw new ControlPlaneError(parsed.message, { code: 'bad_request', field: 'invite' });
    if (this.lastParty?.party_id === parsed.partyId) return this.lastParty;
    this.refuseIfInParty();
    try {
      const credentials = {
        password,
        invite: parsed.invite ?? this.invite.tokenFor(parsed.partyId),
      };
      const party = await this.control.joinParty(parsed.partyId, this.freshMe(), credentials);
      this.invite.clear(parsed.partyId);
      return this.showParty(party);
    } catch (err) {
      const { state } = this.control.status();
      throw errors.explainJoinFailure(err, parsed.partyId, state, this.config.controlServer);
    } finally {
      this.desk.setPending(null);
    }
  }

  /** Only the host may; the control plane refuses anyone else (`forbidden`). */
  private async transferHost(peerId: string): Promise<null> {
    const partyId = this.lastParty?.party_id ?? this.control.myPartyId;
    if (!partyId) throw new ControlPlaneError('You are not in a party.', { code: 'conflict' });
    await this.control.transferHost(partyId, peerId);
    return null;
  }

  /** The host may hand the party over first, or end it for everyone. */
  private async leaveParty(how: IpcRequest<'leaveParty'>): Promise<null> {
    const partyId = this.lastParty?.party_id ?? this.control.myPartyId;
    const host = this.lastParty?.host_id === this.me.peerId;
    const heir = how.hand_over_to;
    this.news.leaving = true;
    try {
      if (partyId && host && how.end_for_everyone) await this.control.closeParty(partyId);
      else if (partyId) {
        if (host && heir !== undefined && heir !== this.me.peerId) {
          await this.control.transferHost(partyId, heir);
        }
        await this.control.leaveParty(partyId, this.me.peerId);
      }
      this.setParty(null, []);
    } finally {
      this.news.leaving = false;
    }
    return null;
  }

  private async saveSettings(settings: Settings, also: ConfigChanges = {}): Promise<Settings> {
    const controlServer = settings.control_server === '' ? null : settings.control_server;
    const next = this.config.with({ ...also, peerName: settings.peer_name, controlServer });
    const serverChanged = next.controlServer !== this.config.controlServer;
    const nameChanged = next.peerName !== this.config.peerName;
    // Built before anything changes: a server URL no control plane can use is refused
    // here, not after the old plane is closed and the URL saved for every later start.
    const nextControl = serverChanged ? this.buildControlPlane(next) : null;
    await next.save();
    this.config = next;
    this.me = this.me.with({ name: next.peerName });
    if (nextControl) await this.replaceControlPlane(nextControl);
    else if (nameChanged && this.lastParty) {
      await this.control.updatePeer(this.lastParty.party_id, this.freshMe());
    }
    this.emit({ type: 'settings', settings: this.settings() });
    return this.settings();
  }

  // ---- control plane plumbing ---------------------------------------------------------

  private async attach(control: ControlPlaneApi): Promise<void> {
    await control.initialize();
    control.myPeerId = this.me.peerId;
    const unsubscribe = control.subscribe((change) => this.onChange(change));
    const unwatch = control.watchNearby?.(() => this.discovery.changed());
    // LAN parties are located through hosting; what it hosts is advertised on the LAN.
    const detachLan =
      this.deps.lan && control.hosting ? attachLan(control.hosting, this.deps.lan) : null;
    this.unsubscribeControl = () => {
      unsubscribe();
      unwatch?.();
      detachLan?.();
    };
    this.shownParty = this.currentParty();
    this.lastParty = this.viewOf(this.shownParty);
  }

  private buildControlPlane(config: Config): ControlPlaneApi {
    try {
      return this.deps.createControlPlane(config);
    } catch (err) {
      throw errors.unusableServer(err, config.controlServer);
    }
  }

  private async replaceControlPlane(next: ControlPlaneApi): Promise<void> {
    this.unsubscribeControl();
    await this.control.close();
    this.control = next;
    await this.attach(this.control);
    await this.discovery.refresh();
    this.emit({ type: 'snapshot', state: this.snapshot() });
  }

  private onChange(change: ControlPlaneChange): void {
    if (this.desk.onChange(change, (id) => this.invite.nameOf(id))) return;
    if (change.kind === 'status') {
      this.emit({ type: 'status', status: change.status });
      this.discovery.changed();
      return;
    }
    if (change.kind !== 'party') return;
    // Another party on this PC changed (discovery.json), or mine: either may move the list.
    this.discovery.changed();
    const mine = change.partyId === (this.lastParty?.party_id ?? this.control.myPartyId);
    if (mine) this.setParty(change.party, change.events);
  }

  private viewOf(party: PartyInfo | null): PartyView | null {
    return partyView(party, party ? this.control.presenceOf(party.partyId) : undefined);
  }

  /**
   * Each change comes once from the control plane, its events as the server sent them; they
   * go on to the UI as they are (a snapshot goes whole). Showing the party a call returned,
   * which its change already showed, is not a change.
   */
  private setParty(party: PartyInfo | null, events: readonly PartyEvent[]): void {
    if (party === this.shownParty && events.length === 0) return;
    this.shownParty = party;
    const before = this.lastParty;
    const after = this.viewOf(party);
    this.lastParty = after;
    if (before?.party_id !== after?.party_id) this.discovery.changed();
    this.desk.partyChanged(after);
    for (const event of partyPatches(before, after, events)) this.emit(event);
    this.news.record(before, after, events, this.me.peerId, new Date(this.clock.now()));
  }

  private showParty(party: PartyInfo): PartyView {
    this.setParty(party, []);
    return this.viewOf(party)!;
  }

  private currentParty(): PartyInfo | null {
    const id = this.control.myPartyId;
    return id ? (this.control.parties.get(id) ?? null) : null;
  }

  private refuseIfInParty(): void {
    if (this.lastParty) throw errors.alreadyInParty(this.lastParty.name);
  }

  private freshMe(): PeerInfo {
    return this.me.with({ lastSeen: new Date(this.clock.now()) });
  }

  private settings(): Settings {
    return { peer_name: this.config.peerName, control_server: this.config.controlServer };
  }

  private emit(event: StateEvent): void {
    errors.callEach(this.stateListeners, event, this.log);
  }

  /** Runs state-changing operations one at a time, in call order. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation, operation);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
