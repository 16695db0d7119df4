/**
 * Remote mode: the control server is the authority on parties; this class keeps a local
 * mirror of them current (through the base class's commit, so the UI and the state file
 * follow). Lost connection: up to `maxReconnectAttempts` retries, then local mode while
 * probing in the background; once back, the session token resumes our peer id and every
 * party we are in is resynchronised. Request/answer matching lives in ws-client.ts, pushes
 * in remote-push.ts, the retry loop in remote-reconnect.ts, resync in remote-resync.ts.
 */
import { ControlPlaneError } from '../../shared/errors';
import type { PartyInfo, PeerInfo } from '../../shared/model';
import {
  newSettingsToDict,
  withDefaults,
  type NewPartySettings,
} from '../../shared/party-settings';
import * as transitions from '../../shared/party-transitions';
import type { PartyEvent } from '../../shared/party-transitions';
import { CLOSE_SERVICE_RESTART, type ClientMessageInput } from '../../shared/protocol';
import { ConnectionState } from '../../shared/status';
import type { Config } from './config';
import { ControlPlane } from './control-plane';
import { HELLO_TIMEOUT_MS, partyAnswer, readWelcome, type ServerIntervals } from './remote-answers';
import type { PushTarget } from './remote-push';
import { ReconnectLoop, type ReconnectHooks } from './remote-reconnect';
import { isNotFound, PartySync, type Request } from './remote-resync';
import type { RemoteControlPlaneOptions } from './remote-options';
import { helloMessage, SavedSession, ServerList } from './remote-session';
import { WsClient, type WsClientOptions } from './ws-client';

export type { RemoteControlPlaneOptions } from './remote-options';

type EnterMessage = Extract<ClientMessageInput, { type: 'register_party' | 'join_party' }>;

export class RemoteControlPlane extends ControlPlane {
  /** The servers configured (one, or several sharing one Redis) and the one in use. */
  readonly servers: ServerList;
  ws: WsClient | null = null;
  connected = false;
  readonly maxReconnectAttempts: number;
  /** Seconds, as in the spec. */
  readonly reconnectDelay: number;
  private readonly wsOptions: Omit<WsClientOptions, 'onPush' | 'onClose'>;
  private readonly session: SavedSession;
  private readonly reconnectLoop: ReconnectLoop;
  private readonly pushTarget: PushTarget;
  private readonly sync: PartySync;
  private readonly helloTimeoutMs: number;
  /** What the server's welcome announced, clamped (null before the first welcome). */
  serverIntervals: ServerIntervals | null = null;

  constructor(config: Config, options: RemoteControlPlaneOptions = {}) {
    super(config, options);
    if (!config.controlServer) throw new ControlPlaneError('No control server configured');
    this.servers = new ServerList(config.controlServer);
    this.maxReconnectAttempts = options.maxReconnectAttempts ?? 5;
    this.reconnectDelay = (options.reconnectDelayMs ?? 5000) / 1000;
    this.wsOptions = {
      clock: this.clock,
      logger: this.logger,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      ca: options.ca,
    };
    this.helloTimeoutMs = options.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
    this.session = new SavedSession(config.instanceDir, this.servers.sessionKey, options.report);
    const loop = { delayMs: this.reconnectDelay * 1000, maxAttempts: this.maxReconnectAttempts };
    this.reconnectLoop = new ReconnectLoop(
      this.clock,
      { ...loop, logger: this.logger },
      this.reconnectHooks(),
    );
    this.pushTarget = {
      parties: this.parties,
      memberOf: this.activePartyIds,
      logger: this.logger,
      commit: (partyId, t) => this.commit(partyId, t),
      emitChange: (change) => this.emitChange(change),
      setPresence: (partyId, presence) => this.setPresence(partyId, presence),
    };
    this.sync = new PartySync(this.pushTarget, this);
  }

  /** The server in use (or tried next). */
  get serverUrl(): string {
    return this.servers.current;
  }

  /** Loads local state, then connects; an unreachable server starts the reconnect cycle. */
  override async initialize(): Promise<void> {
    await super.initialize();
    await this.session.load();
    this.setStatus({
      state: ConnectionState.CONNECTING,
      serverUrl: this.serverUrl,
      maxReconnectAttempts: this.maxReconnectAttempts,
      retryDelayMs: this.reconnectDelay * 1000,
    });
    try {
      await this.connect();
    } catch (error) {
      this.logger.warn(`Control server unavailable: ${String(error)}`);
      void this.reconnect();
    }
  }

  /** The spec's `_connect`: connect with a timeout, start handling messages, say hello. */
  protected async connect(): Promise<void> {
    this.sync.order.reset();
    const ws = await WsClient.connect(this.serverUrl, {
      ...this.wsOptions,
      onPush: (message) => this.sync.push(message, this.requester()),
      onClose: (code) => this.onConnectionLost(ws, code),
    }).catch((error: unknown) => {
      this.servers.next();
      throw error;
    });
    if (this.isClosed) return ws.close();
    this.ws = ws;
    try {
      await this.authenticate(ws);
      this.connected = true;
      this.reconnectLoop.reset();
    } catch (error) {
      if (this.ws === ws) this.ws = null;
      this.connected = false;
      ws.close();
      this.servers.next();
      throw error;
    }
    await this.sync.afterConnect((message) => ws.request(message));
    // Connected is announced once our parties are in step again (and the link still up).
    if (this.ws === ws && this.connected) {
      this.setStatus({
        state: ConnectionState.CONNECTED,
        serverUrl: this.serverUrl,
        reconnectAttempt: 0,
        everConnected: true,
      });
    }
  }

  /** The spec's `_authenticate`: hello, presenting our earlier session token if any. */
  private async authenticate(ws: WsClient): Promise<void> {
    // A server that accepts the connection but never says welcome is given up on soon.
    const welcome = await ws.request(helloMessage(this.session.token), this.helloTimeoutMs);
    const { sessionToken, intervals } = readWelcome(welcome, this.logger);
    this.serverIntervals = intervals;
    // The server decides how often we beat (within bounds): the one timer follows it.
    this.setHeartbeatInterval(intervals.heartbeatIntervalMs);
    await this.session.adopt(sessionToken);
  }

  private onConnectionLost(ws: WsClient, code: number): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.connected = false;
    if (this.isClosed) return;
    // Another server of the list may have our session too (they share one Redis).
    this.servers.next();
    if (code === CLOSE_SERVICE_RESTART) {
      this.logger.info('The control server is restarting; reconnecting shortly');
      this.reconnectLoop.expectRestart();
    } else this.logger.warn('Lost the control server; reconnecting');
    void this.reconnect();
  }

  /** The spec's `_reconnect`, plus background probing after falling back to local mode. */
  protected reconnect(): Promise<void> {
    return this.reconnectLoop.run();
  }

  private reconnectHooks(): ReconnectHooks {
    return {
      done: () => this.isClosed || this.connected,
      onAttempt: (n) =>
        this.setStatus({ state: ConnectionState.RECONNECTING, reconnectAttempt: n }),
      onGiveUp: () => {
        this.logger.warn('Control server unreachable; falling back to local mode');
        this.setStatus({ state: ConnectionState.OFFLINE });
      },
      connect: () => this.connect(),
    };
  }

  /** The spec's `reconnect_attempts`: counted attempts in the current outage. */
  get reconnectAttempts(): number {
    return this.reconnectLoop.attempts;
  }

  /** Local mode: by configuration never, after giving up on the server yes. */
  private get offline(): boolean {
    return !this.connected && this.status().state === ConnectionState.OFFLINE;
  }

  private requireServer(): WsClient {
    if (this.connected && this.ws) return this.ws;
    throw new ControlPlaneError(
      `Not connected to the control server (reconnecting, attempt ${this.reconnectAttempts} of ${this.maxReconnectAttempts})`,
      { code: 'unavailable' },
    );
  }

  override async registerParty(
    partyId: string,
    name: string,
    host: PeerInfo,
    settings?: NewPartySettings,
  ): Promise<PartyInfo> {
    if (this.offline) return super.registerParty(partyId, name, host, settings);
    const host_peer = host.toDict();
    const wanted = settings ? { settings: newSettingsToDict(settings) } : {};
    return this.enter(
      { type: 'register_party', party_id: partyId, name, host_peer, ...wanted },
      host.peerId,
      settings,
    );
  }

  /** The host hands the party to another member (the server tells everyone). */
  override async transferHost(partyId: string, toPeerId: string): Promise<void> {
    if (this.offline) return super.transferHost(partyId, toPeerId);
    await this.requireServer().request({
      type: 'transfer_host',
      party_id: partyId,
      to_peer_id: toPeerId,
    });
  }

  /** The host ends the party for everyone; it is gone here at once. */
  override async closeParty(partyId: string): Promise<void> {
    if (this.offline) return super.closeParty(partyId);
    await this.requireServer().request({ type: 'close_party', party_id: partyId });
    if (this.parties.has(partyId)) {
      this.commit(partyId, {
        party: null,
        events: [{ type: 'party_closed', partyId, reason: transitions.CloseReason.CLOSED_BY_HOST }],
      });
    }
  }

  override async joinParty(partyId: string, peerInfo: PeerInfo): Promise<PartyInfo> {
    if (this.offline) return super.joinParty(partyId, peerInfo);
    const peer = peerInfo.toDict();
    return this.enter({ type: 'join_party', party_id: partyId, peer }, peerInfo.peerId);
  }

  /**
   * Leaving always works: without the server we leave here and tell it once it is back; a
   * server that no longer has the party (or us in it) means we are out already.
   */
  override async leaveParty(partyId: string, peerId: string): Promise<void> {
    await this.sync.leave(this.requester(), partyId, peerId);
    await super.leaveParty(partyId, peerId);
    // The server tells members only; a party we left would go stale here, so forget it.
    if (peerId === this.myPeerId && this.parties.has(partyId)) {
      this.commit(partyId, { party: null, events: [] });
    }
  }

  /** Without the server the change is made here; the resync after reconnecting sends it. */
  override async updatePeer(partyId: string, peerInfo: PeerInfo): Promise<void> {
    if (this.connected) {
      const peer = peerInfo.toDict();
      const answer = await this.requireServer().request({
        type: 'update_peer',
        party_id: partyId,
        peer,
      });
      this.sync.answered(partyId, answer);
    }
    await super.updatePeer(partyId, peerInfo);
  }

  /** Sends a heartbeat and records its round trip for the tray indicator. */
  override async heartbeat(partyId: string, peerId: string): Promise<void> {
    if (this.offline) return super.heartbeat(partyId, peerId);
    const sentAt = this.clock.now();
    const rtt = this.status().lastHeartbeatRttMs;
    const answer = await this.requireServer().request({
      type: 'heartbeat',
      party_id: partyId,
      peer_id: peerId,
      // Our last measured round trip, so the others can see our ping (protocol 1.1).
      ...(rtt === null ? {} : { rtt_ms: Math.min(60_000, Math.round(rtt)) }),
    });
    const now = this.clock.now();
    const party = this.parties.get(partyId);
    this.sync.answered(partyId, answer);
    if (answer.type === 'heartbeat_ack' && party?.peers.has(peerId)) {
      this.commit(partyId, transitions.heartbeat(party, peerId, new Date(answer.server_time)));
    }
    this.setStatus({ lastHeartbeatAt: now, lastHeartbeatRttMs: now - sentAt });
  }

  /** The server's copy of a party we may not be in (kept nowhere); null when it has none. */
  override async previewParty(partyId: string): Promise<PartyInfo | null> {
    const request = this.requester();
    if (!request) return super.previewParty(partyId);
    try {
      return partyAnswer(await request({ type: 'get_party', party_id: partyId }), partyId);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Sends signalling data to another peer of the party through the server. */
  async sendSignal(partyId: string, toPeerId: string, signalData: unknown): Promise<void> {
    if (!this.myPeerId) throw new ControlPlaneError('Join a party first', { code: 'not_found' });
    await this.requireServer().request({
      type: 'signal',
      party_id: partyId,
      from_peer_id: this.myPeerId,
      to_peer_id: toPeerId,
      signal_data: signalData as never,
    });
  }

  /** While reconnecting there is nobody to beat to; the resync after it refreshes us. */
  protected override async automaticHeartbeat(): Promise<void> {
    if (!this.connected && !this.offline) return;
    const partyId = this.myPartyId;
    try {
      await super.automaticHeartbeat();
    } catch (error) {
      const request = this.requester();
      if (!partyId || !request || !isNotFound(error)) throw error;
      // The server no longer has us (swept, or lost the party): get back in.
      this.logger.warn(`Heartbeat refused (${String(error)}); resynchronising`);
      await this.sync.resync(request, partyId);
    }
  }

  /** The server sweeps stale peers while we are connected; only local mode sweeps here. */
  protected override async cleanup(): Promise<void> {
    if (this.offline) await super.cleanup();
  }

  /** The spec's `close`: not connected any more, connection closed, timers stopped. */
  override async close(): Promise<void> {
    const closing = super.close();
    this.connected = false;
    this.reconnectLoop.cancel();
    this.ws?.close();
    this.ws = null;
    await closing;
  }

  /**
   * Registers or joins through the server: the answer must be that party, with us in it.
   * Its presence (a 1.1 server's) is taken too. A 1.2 server's party dict has its settings;
   * an older one's has none, so ours are kept for a re-register to ask for the same.
   */
  private async enter(
    message: EnterMessage,
    peerId: string,
    settings?: NewPartySettings,
  ): Promise<PartyInfo> {
    const answer = await this.requireServer().request(message);
    const answered = partyAnswer(answer, message.party_id, peerId);
    const fromServer = answer.type === 'party_update' && answer.party.settings !== undefined;
    const party =
      settings && !fromServer ? answered.with({ settings: withDefaults(settings) }) : answered;
    if (answer.type === 'party_update' && answer.presence) {
      this.setPresence(party.partyId, new Map(Object.entries(answer.presence)));
    }
    this.sync.rejoined(party.partyId, answer.type === 'party_update' ? answer.seq : undefined);
    const events: PartyEvent[] = [{ type: 'party_created', party }];
    this.commit(party.partyId, { party, events }, { joinedAs: peerId });
    return party;
  }

  /** Our connection's request function, or null while the server is away. */
  private requester(): Request | null {
    const ws = this.connected ? this.ws : null;
    return ws ? (message) => ws.request(message) : null;
  }
}
