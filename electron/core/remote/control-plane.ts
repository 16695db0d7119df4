/**
 * Remote mode: the configured control server is the home of our parties; this class keeps
 * a local mirror of them current (through the base class's commit, so the UI and the state
 * file follow). Lost connection: up to `maxReconnectAttempts` retries, then the offline
 * fallback, which is local mode: parties we host move to our embedded server, where the
 * instances on this machine and the LAN can reach them, while the configured server is
 * probed in the background; once it answers, our parties go back to it (resynchronised)
 * and the embedded server stops. Request/answer matching lives in ws-client.ts, pushes in
 * push.ts, the retry loop in reconnect.ts, resync in resync.ts.
 */
import type { PartySummaryDict } from '../../../shared/access/protocol';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import type { PartyInfo, PeerInfo } from '../../../shared/model';
import { newSettingsToDict, type NewPartySettings } from '../../../shared/party/settings';
import { CLOSE_SERVICE_RESTART } from '../../../shared/protocol/protocol';
import { ConnectionState } from '../../../shared/status';
import type { Config } from '../config/config';
import { ReconnectLoop, type ReconnectHooks } from './reconnect';
import type { RemoteControlPlaneOptions } from '../client/options';
import { OlderProtocolError } from '../client/link/connect-words';
import { ServerList } from '../client/link/session';
import { HostingPlane } from '../hosting/hosting-plane';
import type { JoinCredentials } from '../types';

export class RemoteControlPlane extends HostingPlane {
  /** The servers configured (one, or several sharing one Redis) and the one in use. */
  readonly servers: ServerList;
  readonly maxReconnectAttempts: number;
  /** Seconds, as in the spec. */
  readonly reconnectDelay: number;
  private readonly reconnectLoop: ReconnectLoop;

  constructor(config: Config, options: RemoteControlPlaneOptions = {}) {
    super(config, options);
    if (!config.controlServer) throw new ControlPlaneError('No control server configured');
    this.servers = new ServerList(config.controlServer);
    this.maxReconnectAttempts = options.maxReconnectAttempts ?? 5;
    this.reconnectDelay = (options.reconnectDelayMs ?? 5000) / 1000;
    const loop = { delayMs: this.reconnectDelay * 1000, maxAttempts: this.maxReconnectAttempts };
    this.reconnectLoop = new ReconnectLoop(
      this.clock,
      { ...loop, logger: this.logger },
      this.reconnectHooks(),
    );
  }

  /** The server in use (or tried next). */
  get serverUrl(): string {
    return this.servers.current;
  }

  protected override get homeUrl(): string {
    return this.serverUrl;
  }

  /** Any server of the configured list. */
  protected override isConfigured(url: string): boolean {
    return this.servers.urls.includes(url);
  }

  /** One session for the whole list: its servers share it (one Redis). */
  protected override sessionKeyFor(url: string): string {
    return this.servers.urls.includes(url) ? this.servers.sessionKey : super.sessionKeyFor(url);
  }

  /** Linked to the configured server (not to a local host). */
  private get onServer(): boolean {
    return this.linkUp && this.linkUrl === this.serverUrl;
  }

  /**
   * The spec's `connected`: on the control server with our parties in step again (while
   * offline we may be linked to a local host instead; that is not being connected).
   */
  override get connected(): boolean {
    return this.onServer && this.status().state === ConnectionState.CONNECTED;
  }

  /** Local mode: after giving up on the server, until it answers again. */
  private get offline(): boolean {
    return !this.onServer && this.status().state === ConnectionState.OFFLINE;
  }

  /** Loads local state, then connects; an unreachable server starts the reconnect cycle. */
  override async initialize(): Promise<void> {
    await super.initialize();
    // A session token saved from this server's welcome: it answered in an earlier run, so
    // while it does not answer now the user is not sent to check a right address.
    const reachedBefore = (await this.sessionFor(this.homeUrl)).token !== null;
    this.setStatus({
      state: ConnectionState.CONNECTING,
      serverUrl: this.serverUrl,
      maxReconnectAttempts: this.maxReconnectAttempts,
      retryDelayMs: this.reconnectDelay * 1000,
      everConnected: reachedBefore,
    });
    try {
      await this.connect();
    } catch (error) {
      this.logger.warn(`Control server unavailable: ${String(error)}`);
      void this.reconnect();
    }
  }

  /** The spec's `_connect`: connect with a timeout, say hello, resync; then connected. */
  protected async connect(): Promise<void> {
    try {
      await this.connectTo(this.serverUrl);
    } catch (error) {
      // The next attempt tries the next server of the list.
      if (!this.onServer) this.servers.next();
      const olderServer = error instanceof OlderProtocolError;
      if ((this.status().olderServer ?? false) !== olderServer) this.setStatus({ olderServer });
      throw error;
    }
    // Connected is announced once our parties are in step again (and the link still up).
    if (this.onServer) {
      this.setStatus({
        state: ConnectionState.CONNECTED,
        serverUrl: this.serverUrl,
        reconnectAttempt: 0,
        everConnected: true,
        ...(this.status().olderServer ? { olderServer: false } : {}),
      });
      await this.hosting.release();
    }
  }

  /** Back on the server: every party we moved to a local host lives on it again. */
  protected override linked(url: string): void {
    super.linked(url);
    if (url !== this.serverUrl) return;
    this.localHomes.clear();
    this.reconnectLoop.reset();
  }

  protected override linkLost(url: string | null, code: number): void {
    if (url !== this.serverUrl) return super.linkLost(url, code);
    // Another server of the list may have our session too (they share one Redis).
    this.servers.next();
    if (code === CLOSE_SERVICE_RESTART) {
      this.logger.info('The control server is restarting; reconnecting shortly');
      this.reconnectLoop.expectRestart();
    } else this.logger.warn('Lost the control server; reconnecting');
    void this.reconnect();
  }

  /** A local host that went away while offline: its party comes back with the server. */
  protected override hostGone(partyId: string): void {
    this.logger.info(`The local host of ${partyId} is gone; waiting for the control server`);
  }

  /** The spec's `_reconnect`, plus background probing after falling back to local mode. */
  protected reconnect(): Promise<void> {
    return this.reconnectLoop.run();
  }

  private reconnectHooks(): ReconnectHooks {
    return {
      done: () => this.isClosed || this.onServer,
      onAttempt: (n) =>
        this.setStatus({ state: ConnectionState.RECONNECTING, reconnectAttempt: n }),
      onGiveUp: () => {
        this.logger.warn('Control server unreachable; falling back to local mode');
        this.setStatus({ state: ConnectionState.OFFLINE });
        void this.hostLocally().catch((error: unknown) =>
          this.logger.warn(`Could not host our parties locally: ${String(error)}`),
        );
      },
      connect: () => this.connect(),
    };
  }

  /** The fallback: the parties we host move to our embedded server. */
  private async hostLocally(): Promise<void> {
    const hosted = [...this.activePartyIds].filter(
      (id) => this.parties.get(id)?.hostId === this.myPeerId,
    );
    if (hosted.length === 0 || this.isClosed) return;
    // Its members are not gone, only out of reach with the server: they stay listed.
    const server = await this.hosting.using(() => this.hostAgain(hosted, true));
    await this.connectTo(server.url);
  }

  /** The spec's `reconnect_attempts`: counted attempts in the current outage. */
  get reconnectAttempts(): number {
    return this.reconnectLoop.attempts;
  }

  override async registerParty(
    partyId: string,
    name: string,
    host: PeerInfo,
    settings?: NewPartySettings,
  ): Promise<PartyInfo> {
    if (this.offline) return this.registerLocally(partyId, name, host, settings);
    this.requireOnServer();
    const host_peer = host.toDict();
    const wanted = settings ? { settings: newSettingsToDict(settings) } : {};
    return this.enter(
      { type: 'register_party', party_id: partyId, name, host_peer, ...wanted },
      host.peerId,
      settings,
    );
  }

  override async joinParty(
    partyId: string,
    peerInfo: PeerInfo,
    credentials: JoinCredentials = {},
  ): Promise<PartyInfo> {
    if (this.offline) return this.joinLocally(partyId, peerInfo, credentials);
    this.requireOnServer();
    return this.enter(this.joinMessage(partyId, peerInfo, credentials), peerInfo.peerId);
  }

  /**
   * A party we may not be in, as a stranger sees it (a 1.2 server answers its summary; an
   * older one the whole party); null when there is none. While the server does not answer,
   * only our own parties are known: any other is unknown, not missing.
   */
  override async previewParty(
    partyId: string,
    pin?: string,
    invite?: string,
  ): Promise<PartySummaryDict | null> {
    if (this.offline) return this.localSummary(partyId, pin);
    if (this.onServer) return this.linkedSummary(partyId, invite);
    const known = await super.previewParty(partyId);
    if (known) return known;
    throw this.notOnServer();
  }

  /** Offline, the parties hosted on this machine; else the ones we know. */
  override async discoverParties(): Promise<Map<string, PartyInfo>> {
    if (this.offline) return this.hosting.discover();
    return super.discoverParties();
  }

  private requireOnServer(): void {
    if (!this.onServer) throw this.notOnServer();
  }

  private notOnServer(): ControlPlaneError {
    return new ControlPlaneError(
      `Not connected to the control server (reconnecting, attempt ${this.reconnectAttempts} of ${this.maxReconnectAttempts})`,
      { code: 'unavailable' },
    );
  }

  /** The spec's `close`: not connected any more, connection closed, timers stopped. */
  override async close(): Promise<void> {
    this.reconnectLoop.cancel();
    await super.close();
  }
}
