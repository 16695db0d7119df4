/**
 * The app's brain, free of Electron: owns the control plane (which sends the heartbeats),
 * my peer information and the discovery loop, and answers every IPC channel. The Electron
 * shell and the headless server are thin bridges over it.
 */
import { screenHandlers } from './screen-sources';
import { AccessDesk } from './access-handlers';
import { appHandlers } from './app-handlers';
import type { AppState, Settings, SettingsView, StateEvent } from '../../../shared/ipc/app-state';
import type { PeerInfo } from '../../../shared/model';
import { shareableServer } from '../../../shared/values/server-url';
import { ControlSlot } from './control-attach';
import * as errors from './errors';
import { PartyActions } from './party-actions';
import { ShownParty } from './shown-party';
import type { AppService, AppServiceDeps, NotificationIntent, TrayInputs } from './types';
import { initialPeer, localIpv4, salvageEvent, salvageState, trayInputsOf } from './views';
import { SerialQueue } from './serial-queue';
import type { Config, ConfigChanges } from '../config/config';
import { settingsView } from '../config/settings-view';
import { prepareSettings } from './settings-save';
import { DiscoveryFeed } from './discovery-feed';
import { InvitePrompt, lookupPlace } from './invite-prompt';
import { JoinResume } from './join-resume';
import { DesktopNotifications } from '../notifications/desktop-notifications';
import { NoticeBoard } from '../notices';
import { PartyNews } from '../notifications/party-news';
import { ActivityFile } from '../notifications/activity-file';
import type { IpcHandlers } from './ipc-registry';
import type { Logger } from '../../../shared/logger';
import { systemClock, type Clock } from '../../../shared/time/clock';
import { probeControlServer } from '../client/link/server-probe';
import { SignalRelay } from './signal-relay';
import type { ControlPlaneApi, ControlPlaneChange } from '../types';
import { MuteShortcut } from '../shortcuts/mute-shortcut';
import { tellGoingToSleep } from './going-to-sleep';

/** Builds the service and starts its control plane (which loads persisted state). */
export async function createAppService(deps: AppServiceDeps): Promise<AppService> {
  const service = new LanrageAppService(deps);
  await service.start();
  return service;
}

class LanrageAppService implements AppService {
  readonly handlers: IpcHandlers;
  private config: Config;
  /** The control plane in use (replaced when the server setting changes). */
  private readonly slot: ControlSlot;
  private me: PeerInfo;
  private readonly shown: ShownParty;
  private readonly actions: PartyActions;
  private readonly stateListeners = new Set<(event: StateEvent) => void>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly discovery: DiscoveryFeed;
  private readonly notifier: DesktopNotifications;
  private readonly news: PartyNews;
  private readonly serial = new SerialQueue();
  private closed: Promise<void> | null = null;
  private readonly notices: NoticeBoard;
  readonly goingToSleep = (): Promise<boolean> => tellGoingToSleep(this.control, this.logger);
  private readonly invite: InvitePrompt;
  private readonly desk: AccessDesk;
  private readonly joinResume: JoinResume;
  private readonly signals: SignalRelay;
  private readonly muteShortcut: MuteShortcut;
  /** Where a link's party is looked up: the control plane in use, and its server. */
  private readonly linkPlace = () => lookupPlace(this.control, this.config.controlServer);

  // The parts are made in this order: each one's hooks read the ones after it only later.
  constructor(private readonly deps: AppServiceDeps) {
    this.config = deps.config;
    this.notices = this.watchNotices(deps.notices ?? new NoticeBoard());
    this.invite = new InvitePrompt((e) => this.emit(e), this.notices.report);
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger;
    this.discovery = this.createDiscovery();
    this.notifier = new DesktopNotifications(this.clock, this.logger, deps.notificationWindowMs);
    this.news = this.createNews();
    const ip = (deps.localIp ?? localIpv4)();
    this.me = initialPeer(deps.identity, this.config.peerName, ip, new Date(this.clock.now()));
    this.slot = new ControlSlot(deps.createControlPlane(this.config), {
      myPeerId: this.me.peerId,
      profile: () => this.freshMe(),
      onChange: (change) => this.onChange(change),
      nearbyChanged: () => this.discovery.changed(),
      lan: deps.lan ?? null,
    });
    this.shown = this.createShownParty();
    this.desk = this.createAccessDesk();
    this.actions = this.createPartyActions();
    this.joinResume = new JoinResume({
      instanceDir: this.config.instanceDir,
      clock: this.clock,
      report: this.notices.report,
      resume: (partyId) => this.exclusive(() => this.actions.resume(partyId)),
    });
    this.signals = new SignalRelay({
      control: () => this.control,
      emit: (event) => this.emit(event),
      logger: this.logger,
      clock: this.clock,
    });
    this.muteShortcut = this.createMuteShortcut();
    this.handlers = this.buildHandlers();
  }

  async start(): Promise<void> {
    const activity = await this.news.keeper?.load();
    await this.slot.attach();
    this.shown.reset();
    this.news.restore(activity ?? null, this.shown.view?.party_id ?? null);
    // The control plane sends its own heartbeats; "Parties nearby" follows pushes.
    this.discovery.start();
    await this.discovery.refresh();
    await this.joinResume.start();
    this.muteShortcut.apply(this.config.muteShortcut);
  }

  // ---- AppService -------------------------------------------------------------------

  snapshot(): AppState {
    const held: AppState = {
      status: this.control.status(),
      me: this.me.toDict(),
      party: this.shown.view,
      discovered: this.discovery.list,
      settings: this.settings(),
      notices: this.notices.list(),
      invite: this.invite.value,
      first_run: !this.config.welcomeDone,
      activity: this.news.activity,
      ended: this.news.ended,
      pending_join: this.desk.pendingJoin,
      join_requests: this.desk.joinRequests,
      global_shortcuts: this.muteShortcut.global,
    };
    return salvageState(held, this.logger);
  }

  onStateEvent(listener: (event: StateEvent) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onNotification(listener: (intent: NotificationIntent) => void): () => void {
    return this.notifier.on(listener);
  }

  openInvite(link: string): Promise<void> {
    return this.invite.open(link, this.linkPlace());
  }

  trayInputs(): TrayInputs {
    return trayInputsOf(this.control, this.shown.current(), this.me.peerId, this.desk);
  }

  close(): Promise<void> {
    // A join waiting for its host holds the queue for minutes: it stops now, still saved.
    const saved = this.joinResume.close();
    this.control.stopWaiting();
    this.muteShortcut.release();
    this.closed ??= this.exclusive(async () => {
      await saved;
      this.discovery.stop();
      this.notifier.close();
      await this.slot.close();
      // Goodbyes go out before the socket closes: the party leaves every list on the LAN.
      await this.deps.lan?.close();
      await this.news.keeper?.flush();
      this.deps.instanceLock?.release();
    });
    return this.closed;
  }

  // ---- the parts ----------------------------------------------------------------------

  private watchNotices(notices: NoticeBoard): NoticeBoard {
    notices.subscribe((list) => this.emit({ type: 'notices', notices: list }));
    return notices;
  }

  private createDiscovery(): DiscoveryFeed {
    return new DiscoveryFeed({
      logger: this.logger,
      emit: (event) => {
        this.emit(event);
        // A link opened before its LAN host was heard fills in once the party is listed.
        if (event.type === 'discovered')
          void this.invite.sawNearby(event.parties, this.linkPlace());
      },
      control: () => this.control,
      myPartyId: () => this.shown.view?.party_id ?? null,
      lan: this.deps.lan ?? null,
      report: (message) => this.notices.report(message),
      back: { clock: this.clock, notices: this.notices },
    });
  }

  private createNews(): PartyNews {
    return new PartyNews(
      { emit: (event) => this.emit(event), notify: (activity) => this.notifier.add(activity) },
      new ActivityFile(this.config.instanceDir, this.notices.report, this.clock),
      (partyId, ended) => this.discovery.ended(partyId, ended),
    );
  }

  private createShownParty(): ShownParty {
    return new ShownParty({
      control: () => this.control,
      emit: (event) => this.emit(event),
      changed: (before, after) => {
        if (before?.party_id !== after?.party_id) this.discovery.changed();
        this.desk.partyChanged(after);
      },
      ...this.news.recorder(
        () => this.me.peerId,
        () => this.clock.now(),
      ),
    });
  }

  private createAccessDesk(): AccessDesk {
    return new AccessDesk({
      control: () => this.control,
      party: () => this.shown.view,
      refreshParty: () => this.shown.refresh(),
      myPeerId: () => this.me.peerId,
      linkServer: () => shareableServer(this.config.controlServer),
      serverNow: () => this.clock.now() + (this.control.status().serverClockOffsetMs ?? 0),
      emit: (event) => this.emit(event),
      notify: (intent) => this.notifier.deliver(intent),
      pendingChanged: (pending) => this.joinResume.changed(pending),
      unbanned: (partyId, peerId, name) =>
        this.news.unbanned(partyId, peerId, name, new Date(this.clock.now())),
    });
  }

  private createPartyActions(): PartyActions {
    return new PartyActions({
      control: () => this.control,
      freshMe: () => this.freshMe(),
      myPeerId: () => this.me.peerId,
      controlServer: () => this.config.controlServer,
      useServer: async (url) => {
        await this.saveSettings({ ...this.settings(), control_server: url });
      },
      shown: this.shown,
      invite: this.invite,
      desk: this.desk,
      news: this.news,
    });
  }

  /** Pressed in any app: the page mutes or unmutes me in voice (use-mute-shortcut.ts). */
  private createMuteShortcut(): MuteShortcut {
    return new MuteShortcut({
      host: this.deps.shortcuts ?? null,
      pressed: () => this.emit({ type: 'mute_shortcut' }),
      globalChanged: (global_shortcuts) =>
        this.emit({ type: 'global_shortcuts', global_shortcuts }),
      report: this.notices.report,
    });
  }

  private buildHandlers(): IpcHandlers {
    return {
      ...this.desk.handlers(),
      ...screenHandlers(this.deps.screens),
      ...appHandlers({
        actions: this.actions,
        news: this.news,
        discovery: this.discovery,
        notices: this.notices,
        invite: this.invite,
        signals: this.signals,
        snapshot: () => this.snapshot(),
        settings: () => this.settings(),
        saveSettings: (settings, also) => this.saveSettings(settings, also),
        probeServer: (url) => (this.deps.probeServer ?? probeControlServer)(url),
        emit: (event) => this.emit(event),
        exclusive: (operation) => this.exclusive(operation),
      }),
    };
  }

  private async saveSettings(settings: Settings, also: ConfigChanges = {}): Promise<SettingsView> {
    const { next, nextControl } = await prepareSettings(settings, also, {
      config: this.config,
      partyName: this.shown.view?.name ?? null,
      createControlPlane: this.deps.createControlPlane,
      report: this.notices.report,
    });
    const nameChanged = next.peerName !== this.config.peerName;
    this.config = next;
    this.muteShortcut.apply(next.muteShortcut);
    this.me = this.me.with({ name: next.peerName });
    if (nextControl) await this.replaceControlPlane(nextControl);
    else if (nameChanged && this.shown.view) {
      await this.control.updatePeer(this.shown.view.party_id, this.freshMe());
    }
    this.emit({ type: 'settings', settings: this.settings() });
    return this.settings();
  }

  // ---- control plane plumbing ---------------------------------------------------------

  private get control(): ControlPlaneApi {
    return this.slot.plane;
  }

  private async replaceControlPlane(next: ControlPlaneApi): Promise<void> {
    await this.slot.replace(next);
    this.shown.reset();
    await this.discovery.refresh();
    this.emit({ type: 'snapshot', state: this.snapshot() });
    // Not awaited: the join dialog fills in when the server answers.
    void this.invite.lookAgain(this.linkPlace());
  }

  private onChange(change: ControlPlaneChange): void {
    if (this.desk.onChange(change, (id) => this.invite.nameOf(id))) return;
    if (this.signals.onChange(change)) return;
    if (change.kind === 'status') {
      if (this.slot.answersAgain(change.status)) void this.invite.lookAgain(this.linkPlace());
      this.emit({ type: 'status', status: change.status });
      this.discovery.changed();
      return;
    }
    if (change.kind !== 'party') return;
    // Another party on this PC changed (discovery.json), or mine: either may move the list.
    this.discovery.changed();
    if (change.partyId === this.shown.partyId) this.shown.set(change.party, change.events);
  }

  private readonly freshMe = (): PeerInfo => this.me.with({ lastSeen: new Date(this.clock.now()) });
  private readonly settings = (): SettingsView => settingsView(this.config);

  private emit(event: StateEvent): void {
    errors.callEach(this.stateListeners, salvageEvent(event, this.logger), this.logger);
  }

  /** Runs state-changing operations one at a time, in call order. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    return this.serial.run(operation);
  }
}
