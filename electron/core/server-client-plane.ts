/**
 * The one client engine: every party lives on a control server and this class is a client
 * of it. The server is the configured one (RemoteControlPlane) or, without one or while it
 * is out of reach, the embedded server of the instance that hosts the party (local mode,
 * electron/core/local/). Requests go over one link at a time; each party remembers which
 * server is its home, and a (re)connected link resynchronises only the parties it serves.
 */
import { ControlPlaneError } from '../../shared/errors';
import type { PartyInfo, PartySettings, PeerInfo } from '../../shared/model';
import * as transitions from '../../shared/party-transitions';
import type { PartyEvent } from '../../shared/party-transitions';
import type { ClientMessageInput } from '../../shared/protocol';
import type { Config } from './config';
import { ControlPlane } from './control-plane';
import type { DiscoveredHost } from './local/discovery-board';
import type { EmbeddedServer } from './local/embedded-server';
import { LocalHosting, sessionKeyOf } from './local/local-hosting';
import { HELLO_TIMEOUT_MS, partyAnswer, readWelcome, type ServerIntervals } from './remote-answers';
import type { RemoteControlPlaneOptions } from './remote-options';
import { closeParty, handlePush, type PushTarget } from './remote-push';
import { isNotFound, PartySync, type Request } from './remote-resync';
import { helloMessage, SavedSession } from './remote-session';
import { WsClient, type WsClientOptions } from './ws-client';

type EnterMessage = Extract<ClientMessageInput, { type: 'register_party' | 'join_party' }>;

/** Where local-mode links keep their session token (the configured server's is apart). */
export const LOCAL_SESSION_FILE = 'local_session.json';
/** A local host that dropped its link is tried this often, this many times. */
const LOCAL_RETRY_MS = 500;
const LOCAL_RETRIES = 10;

export class ServerClientPlane extends ControlPlane {
  ws: WsClient | null = null;
  /** Linked to a server (the configured one or a local host) that said welcome. */
  connected = false;
  /** The server the link goes to (null: none yet). */
  linkUrl: string | null = null;
  /** What the linked server's welcome announced, clamped (null before the first welcome). */
  serverIntervals: ServerIntervals | null = null;
  /** Hosting without a server: the embedded server and discovery.json. */
  readonly hosting: LocalHosting;
  protected readonly pushTarget: PushTarget;
  protected readonly sync: PartySync;
  /** party id → the local host's URL serving it (parties not here live on the configured server). */
  protected readonly localHomes = new Map<string, string>();
  private readonly wsOptions: Omit<WsClientOptions, 'onPush' | 'onClose'>;
  private readonly helloTimeoutMs: number;
  private readonly sessions = new Map<string, SavedSession>();
  /** Local hosts' URL → the stable key their session is saved under. */
  private readonly sessionKeys = new Map<string, string>();

  constructor(
    config: Config,
    protected readonly options: RemoteControlPlaneOptions = {},
  ) {
    super(config, options);
    this.wsOptions = {
      clock: this.clock,
      logger: this.logger,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      ca: options.ca,
    };
    this.helloTimeoutMs = options.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
    this.pushTarget = {
      parties: this.parties,
      memberOf: this.activePartyIds,
      logger: this.logger,
      commit: (partyId, t) => this.commit(partyId, t),
      emitChange: (change) => this.emitChange(change),
      setPresence: (partyId, presence) => this.setPresence(partyId, presence),
    };
    this.sync = new PartySync(this.pushTarget, this);
    this.hosting = new LocalHosting({
      config,
      clock: this.clock,
      logger: this.logger,
      report: options.report,
      discoveryPollMs: options.discoveryPollMs,
    });
    this.hosting.onServer((server) =>
      this.setStatus({ localServer: server ? { port: server.port, lan: server.onLan } : null }),
    );
  }

  /** The configured server's URL, null in local mode. */
  protected get homeUrl(): string | null {
    return null;
  }

  /** Which server a party lives on: its local host, else the configured server. */
  protected homeOf(partyId: string): string | null {
    return this.localHomes.get(partyId) ?? this.homeUrl;
  }

  /**
   * Connects to `url`, says hello, and only then makes it the link (closing the previous
   * one), so a failed attempt leaves the current link as it was. Then the parties this
   * server serves are brought in step with it.
   */
  protected async connectTo(url: string): Promise<void> {
    const ws = await WsClient.connect(url, {
      ...this.wsOptions,
      onPush: (message) => {
        if (this.ws === ws) handlePush(this.pushTarget, message);
      },
      onClose: (code) => this.onConnectionLost(ws, code),
    });
    if (this.isClosed) return ws.close();
    try {
      await this.authenticate(ws, url);
    } catch (error) {
      ws.close();
      throw error;
    }
    const previous = this.ws;
    this.ws = ws;
    this.linkUrl = url;
    this.connected = true;
    previous?.close();
    this.linked(url);
    await this.sync.afterConnect(
      (message) => ws.request(message),
      (partyId) => this.homeOf(partyId) === url,
    );
  }

  /** A new link is up (before the resync): subclasses reset their retry state. */
  protected linked(_url: string): void {}

  /** The spec's `_authenticate`: hello, presenting our earlier session token if any. */
  private async authenticate(ws: WsClient, url: string): Promise<void> {
    const session = await this.sessionFor(url);
    const welcome = await ws.request(helloMessage(session.token), this.helloTimeoutMs);
    const { sessionToken, intervals } = readWelcome(welcome, this.logger);
    this.serverIntervals = intervals;
    // The server decides how often we beat (within bounds): the one timer follows it.
    this.setHeartbeatInterval(intervals.heartbeatIntervalMs);
    await session.adopt(sessionToken);
  }

  private async sessionFor(url: string): Promise<SavedSession> {
    const key = this.sessionKeys.get(url) ?? url;
    let session = this.sessions.get(key);
    if (!session) {
      const file = url === this.homeUrl ? undefined : LOCAL_SESSION_FILE;
      session = new SavedSession(this.config.instanceDir, key, this.options.report, file);
      await session.load();
      this.sessions.set(key, session);
    }
    return session;
  }

  private onConnectionLost(ws: WsClient, code: number): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.connected = false;
    if (this.isClosed) return;
    this.linkLost(this.linkUrl, code);
  }

  /** The link dropped. Here: parties on a local host that is gone end ("host left"). */
  protected linkLost(url: string | null, _code: number): void {
    if (url === null || url === this.homeUrl) return;
    void this.recoverLocal(url).catch((error: unknown) =>
      this.logger.warn(`Local host ${url}: ${String(error)}`),
    );
  }

  /**
   * A local host's link dropped: while its instance still lists the party (restarting, maybe
   * on another port, or not yet reaped after a crash), try again for a few seconds; a party
   * whose host is no longer listed, or stays unreachable, is over, as when a host quits.
   */
  protected async recoverLocal(url: string): Promise<void> {
    let homes = [url];
    for (let attempt = 0; attempt < LOCAL_RETRIES; attempt++) {
      if (this.isClosed || this.connected) return;
      homes = await this.relocate(homes);
      if (homes.length === 0) return;
      try {
        return await this.connectTo(homes[0]!);
      } catch (error) {
        this.logger.info(`Local host unreachable (${String(error)}); retrying`);
        await new Promise<void>((resolve) => this.clock.setTimeout(resolve, LOCAL_RETRY_MS));
      }
    }
    for (const [partyId, home] of [...this.localHomes]) {
      if (!homes.includes(home)) continue;
      this.localHomes.delete(partyId);
      this.hostGone(partyId);
    }
  }

  /** Where the parties served from `urls` are now; those no longer listed end. */
  private async relocate(urls: readonly string[]): Promise<string[]> {
    const found = new Set<string>();
    for (const [partyId, home] of [...this.localHomes]) {
      if (!urls.includes(home)) continue;
      const host = await this.locateHost(partyId);
      if (host) {
        this.localHomes.set(partyId, host.controlUrl);
        found.add(host.controlUrl);
      } else {
        this.localHomes.delete(partyId);
        this.hostGone(partyId);
      }
    }
    return [...found];
  }

  /** What happens to a party whose local host is gone: it ends, as the host left. */
  protected hostGone(partyId: string): void {
    closeParty(this.pushTarget, partyId, transitions.CloseReason.HOST_LEFT);
  }

  /** Our embedded server, started if needed. */
  protected async hostHere(): Promise<EmbeddedServer> {
    const server = await this.hosting.host();
    this.sessionKeys.set(server.url, this.hosting.sessionKey);
    return server;
  }

  /** Where a party hosted on this machine is served (null: nobody here hosts it). */
  protected async locateHost(partyId: string): Promise<DiscoveredHost | null> {
    const host = await this.hosting.locate(partyId);
    if (host) this.sessionKeys.set(host.controlUrl, sessionKeyOf(host.hostInstance));
    return host;
  }

  /** Makes sure the link goes to `url`. */
  protected async linkTo(url: string): Promise<void> {
    if (this.connected && this.linkUrl === url) return;
    await this.connectTo(url);
  }

  /** Hosts on the embedded server: starts it if needed and links to it. */
  protected async registerLocally(
    partyId: string,
    name: string,
    host: PeerInfo,
    settings?: PartySettings,
  ): Promise<PartyInfo> {
    // Party ids are random; one already offered here is someone else's.
    if (await this.hosting.locate(partyId)) {
      throw new ControlPlaneError(`Party ${partyId} already exists`, { code: 'conflict' });
    }
    const server = await this.hostHere();
    await this.linkTo(server.url);
    this.localHomes.set(partyId, server.url);
    const wanted = settings ? { settings: { host_migration: settings.hostMigration } } : {};
    const message = {
      type: 'register_party' as const,
      party_id: partyId,
      name,
      host_peer: host.toDict(),
    };
    try {
      const party = await this.enter({ ...message, ...wanted }, host.peerId, settings);
      // Once this resolves, the other instances can find the party.
      await this.hosting.settled();
      return party;
    } catch (error) {
      this.localHomes.delete(partyId);
      throw error;
    }
  }

  /** Joins a party hosted on this machine, as a client of its host's server. */
  protected async joinLocally(partyId: string, peerInfo: PeerInfo): Promise<PartyInfo> {
    const host = await this.locateHost(partyId);
    if (!host)
      throw new ControlPlaneError('Party not found', { code: 'not_found', field: partyId });
    await this.linkTo(host.controlUrl);
    this.localHomes.set(partyId, host.controlUrl);
    const message = { type: 'join_party' as const, party_id: partyId, peer: peerInfo.toDict() };
    return this.enter(message, peerInfo.peerId).catch((error: unknown) => {
      this.localHomes.delete(partyId);
      throw error;
    });
  }

  /** The link's request function, when linked to the party's home. */
  protected requester(partyId?: string): Request | null {
    const ws = this.connected ? this.ws : null;
    if (!ws || (partyId !== undefined && this.homeOf(partyId) !== this.linkUrl)) return null;
    return (message) => ws.request(message);
  }

  protected requireServer(partyId?: string): Request {
    const request = this.requester(partyId);
    if (request) return request;
    throw new ControlPlaneError('Not connected to the party’s server', { code: 'unavailable' });
  }

  /**
   * Registers or joins through the server: the answer must be that party, with us in it.
   * Its presence is taken too; the wire's party dict has no settings, so ours are kept for
   * a re-register to ask for the same.
   */
  protected async enter(
    message: EnterMessage,
    peerId: string,
    settings?: PartySettings,
  ): Promise<PartyInfo> {
    const answer = await this.requireServer()(message);
    const answered = partyAnswer(answer, message.party_id, peerId);
    const party = settings ? answered.with({ settings }) : answered;
    if (answer.type === 'party_update' && answer.presence) {
      this.setPresence(party.partyId, new Map(Object.entries(answer.presence)));
    }
    this.sync.rejoined(party.partyId);
    const events: PartyEvent[] = [{ type: 'party_created', party }];
    this.commit(party.partyId, { party, events }, { joinedAs: peerId });
    return party;
  }

  /** The host hands the party to another member (the server tells everyone). */
  override async transferHost(partyId: string, toPeerId: string): Promise<void> {
    await this.requireServer(partyId)({
      type: 'transfer_host',
      party_id: partyId,
      to_peer_id: toPeerId,
    });
  }

  /** The host ends the party for everyone; it is gone here at once. */
  override async closeParty(partyId: string): Promise<void> {
    await this.requireServer(partyId)({ type: 'close_party', party_id: partyId });
    closeParty(this.pushTarget, partyId, transitions.CloseReason.CLOSED_BY_HOST);
    this.localHomes.delete(partyId);
  }

  /**
   * Leaving always works: without the server we leave here and tell it once it is back; a
   * server that no longer has the party (or us in it) means we are out already.
   */
  override async leaveParty(partyId: string, peerId: string): Promise<void> {
    await this.sync.leave(this.requester(partyId), partyId, peerId);
    await super.leaveParty(partyId, peerId);
    // The server tells members only; a party we left would go stale here, so forget it.
    if (peerId === this.myPeerId && this.parties.has(partyId)) {
      this.commit(partyId, { party: null, events: [] });
    }
    if (peerId === this.myPeerId) this.localHomes.delete(partyId);
  }

  /** Without the server the change is made here; the resync after reconnecting sends it. */
  override async updatePeer(partyId: string, peerInfo: PeerInfo): Promise<void> {
    const request = this.requester(partyId);
    if (request) await request({ type: 'update_peer', party_id: partyId, peer: peerInfo.toDict() });
    await super.updatePeer(partyId, peerInfo);
  }

  /** Sends a heartbeat and records its round trip for the tray indicator. */
  override async heartbeat(partyId: string, peerId: string): Promise<void> {
    const request = this.requireServer(partyId);
    const sentAt = this.clock.now();
    const rtt = this.status().lastHeartbeatRttMs;
    const answer = await request({
      type: 'heartbeat',
      party_id: partyId,
      peer_id: peerId,
      // Our last measured round trip, so the others can see our ping (protocol 1.1).
      ...(rtt === null ? {} : { rtt_ms: Math.min(60_000, Math.round(rtt)) }),
    });
    const now = this.clock.now();
    const party = this.parties.get(partyId);
    if (answer.type === 'heartbeat_ack' && party?.peers.has(peerId)) {
      this.commit(partyId, transitions.heartbeat(party, peerId, new Date(answer.server_time)));
    }
    this.setStatus({ lastHeartbeatAt: now, lastHeartbeatRttMs: now - sentAt });
  }

  /** Sends signalling data to another peer of the party through the server. */
  async sendSignal(partyId: string, toPeerId: string, signalData: unknown): Promise<void> {
    if (!this.myPeerId) throw new ControlPlaneError('Join a party first', { code: 'not_found' });
    await this.requireServer(partyId)({
      type: 'signal',
      party_id: partyId,
      from_peer_id: this.myPeerId,
      to_peer_id: toPeerId,
      signal_data: signalData as never,
    });
  }

  /** Beats only when linked to our party's server; the resync after linking refreshes us. */
  protected override async automaticHeartbeat(): Promise<void> {
    const partyId = this.myPartyId;
    if (!partyId || !this.requester(partyId)) return;
    try {
      await super.automaticHeartbeat();
    } catch (error) {
      const request = this.requester(partyId);
      if (!request || !isNotFound(error)) throw error;
      // The server no longer has us (swept, or lost the party): get back in.
      this.logger.warn(`Heartbeat refused (${String(error)}); resynchronising`);
      await this.sync.resync(request, partyId);
    }
  }

  /** The servers sweep stale peers; a client never does. */
  protected override async cleanup(): Promise<void> {}

  /** Closes the link first (so our own hosted parties stay ours), then stops hosting. */
  override async close(): Promise<void> {
    const closing = super.close();
    this.connected = false;
    this.ws?.close();
    this.ws = null;
    await closing;
    await this.hosting.close();
  }
}
