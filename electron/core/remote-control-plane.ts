/**
 * Remote mode: the control server is the authority on parties; this class keeps a local
 * mirror of them current (through the base class's commit, so the UI and the state file
 * follow). Lost connection: up to `maxReconnectAttempts` retries, then local mode while
 * probing in the background; once back, the session token resumes our peer id and every
 * party we are in is resynchronised.
 */
import { mkdir } from 'node:fs/promises';
import { ControlPlaneError } from '../../shared/errors';
import { PartyInfo, PeerInfo } from '../../shared/model';
import * as transitions from '../../shared/party-transitions';
import { PROTOCOL_VERSION, type ServerMessage } from '../../shared/protocol';
import { ConnectionState } from '../../shared/status';
import type { Config } from './config';
import { ControlPlane, type ControlPlaneOptions } from './control-plane';
import { diffParty } from './party-diff';
import { resyncParty } from './remote-resync';
import {
  loadSessionToken,
  saveSessionToken,
  sessionFilePath,
  toWebSocketUrl,
} from './remote-session';
import type { TimerHandle } from './scheduler';
import { WsClient } from './ws-client';

export interface RemoteControlPlaneOptions extends ControlPlaneOptions {
  /** Between reconnect attempts and background probes (default: the spec's 5 s). */
  reconnectDelayMs?: number;
  maxReconnectAttempts?: number;
  /** Default: the spec's 10 s. */
  connectTimeoutMs?: number;
  /** How long a request waits for its answer (default 10 s). */
  requestTimeoutMs?: number;
}

export class RemoteControlPlane extends ControlPlane {
  readonly serverUrl: string;
  ws: WsClient | null = null;
  connected = false;
  reconnectAttempts = 0;
  readonly maxReconnectAttempts: number;
  /** Seconds, as in the spec. */
  readonly reconnectDelay: number;
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly sessionFile: string;
  private sessionToken: string | null = null;
  private heartbeatTimer: TimerHandle | null = null;
  private sleepTimer: { handle: TimerHandle; wake: () => void } | null = null;
  private reconnecting = false;
  private lastOwnBeatAt = Number.NEGATIVE_INFINITY;

  constructor(config: Config, options: RemoteControlPlaneOptions = {}) {
    super(config, options);
    if (!config.controlServer) throw new ControlPlaneError('No control server configured');
    this.serverUrl = toWebSocketUrl(config.controlServer);
    this.maxReconnectAttempts = options.maxReconnectAttempts ?? 5;
    this.reconnectDelay = (options.reconnectDelayMs ?? 5000) / 1000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.sessionFile = sessionFilePath(config.instanceDir);
  }

  /** Loads local state, then connects; an unreachable server starts the reconnect cycle. */
  override async initialize(): Promise<void> {
    await super.initialize();
    this.sessionToken = await loadSessionToken(this.sessionFile, this.serverUrl);
    this.setStatus({
      state: ConnectionState.CONNECTING,
      serverUrl: this.serverUrl,
      maxReconnectAttempts: this.maxReconnectAttempts,
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
    const ws = await WsClient.connect(this.serverUrl, {
      clock: this.clock,
      logger: this.logger,
      connectTimeoutMs: this.connectTimeoutMs,
      requestTimeoutMs: this.requestTimeoutMs,
      onPush: (message) => this.handleMessage(message),
      onClose: () => this.onConnectionLost(ws),
    });
    if (this.isClosed) return ws.close();
    this.ws = ws;
    try {
      await this.authenticate(ws);
      this.connected = true;
      this.reconnectAttempts = 0;
      this.setStatus({ state: ConnectionState.CONNECTED, reconnectAttempt: 0 });
      await this.resyncAll();
    } catch (error) {
      if (this.ws === ws) this.ws = null;
      this.connected = false;
      ws.close();
      throw error;
    }
  }

  /** The spec's `_authenticate`: hello, presenting our earlier session token if any. */
  private async authenticate(ws: WsClient): Promise<void> {
    const welcome = await ws.request({
      type: 'hello',
      version: PROTOCOL_VERSION,
      client: 'lanrage',
      ...(this.sessionToken ? { session_token: this.sessionToken } : {}),
    });
    if (welcome.type !== 'welcome') throw new ControlPlaneError('Unexpected answer to hello');
    const intervalMs = welcome.heartbeat_interval * 1000;
    this.setStatus({ heartbeatIntervalMs: intervalMs });
    this.startHeartbeats(intervalMs);
    if (welcome.session_token !== this.sessionToken) {
      this.sessionToken = welcome.session_token;
      await mkdir(this.config.instanceDir, { recursive: true });
      await saveSessionToken(this.sessionFile, this.serverUrl, welcome.session_token);
    }
  }

  private onConnectionLost(ws: WsClient): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.connected = false;
    if (this.isClosed) return;
    this.logger.warn('Lost the control server; reconnecting');
    void this.reconnect();
  }

  /** The spec's `_reconnect`, plus background probing after falling back to local mode. */
  protected async reconnect(): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    try {
      while (!this.isClosed && !this.connected) {
        if (this.reconnectAttempts < this.maxReconnectAttempts) {
          this.reconnectAttempts += 1;
          this.setStatus({
            state: ConnectionState.RECONNECTING,
            reconnectAttempt: this.reconnectAttempts,
          });
        } else if (this.status().state !== ConnectionState.OFFLINE) {
          this.logger.warn('Control server unreachable; falling back to local mode');
          this.setStatus({ state: ConnectionState.OFFLINE });
        }
        await this.sleep(this.reconnectDelay * 1000);
        if (this.isClosed) return;
        try {
          await this.connect();
        } catch (error) {
          this.logger.info(`Reconnect failed: ${String(error)}`);
        }
      }
    } finally {
      this.reconnecting = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        this.sleepTimer = null;
        resolve();
      };
      this.sleepTimer = { handle: this.clock.setTimeout(wake, ms), wake };
    });
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

  override async registerParty(partyId: string, name: string, host: PeerInfo): Promise<PartyInfo> {
    if (this.offline) return super.registerParty(partyId, name, host);
    const answer = await this.requireServer().request({
      type: 'register_party',
      party_id: partyId,
      name,
      host_peer: host.toDict(),
    });
    return this.adoptParty(answer, host.peerId);
  }

  override async joinParty(partyId: string, peerInfo: PeerInfo): Promise<PartyInfo> {
    if (this.offline) return super.joinParty(partyId, peerInfo);
    const answer = await this.requireServer().request({
      type: 'join_party',
      party_id: partyId,
      peer: peerInfo.toDict(),
    });
    return this.adoptParty(answer, peerInfo.peerId);
  }

  override async leaveParty(partyId: string, peerId: string): Promise<void> {
    if (!this.offline) {
      await this.requireServer().request({
        type: 'leave_party',
        party_id: partyId,
        peer_id: peerId,
      });
    }
    await super.leaveParty(partyId, peerId);
    // The server tells members only; a party we left would go stale here, so forget it.
    if (!this.offline && peerId === this.myPeerId && this.parties.has(partyId)) {
      this.commit(partyId, { party: null, events: [] });
    }
  }

  override async updatePeer(partyId: string, peerInfo: PeerInfo): Promise<void> {
    if (!this.offline) {
      await this.requireServer().request({
        type: 'update_peer',
        party_id: partyId,
        peer: peerInfo.toDict(),
      });
    }
    await super.updatePeer(partyId, peerInfo);
  }

  /** Sends a heartbeat and records its round trip for the tray indicator. */
  override async heartbeat(partyId: string, peerId: string): Promise<void> {
    if (this.offline) return super.heartbeat(partyId, peerId);
    const sentAt = this.clock.now();
    // The base class's timer and ours (at the server's interval) both beat: send one.
    if (
      peerId === this.myPeerId &&
      sentAt - this.lastOwnBeatAt < this.status().heartbeatIntervalMs / 2
    ) {
      return;
    }
    if (peerId === this.myPeerId) this.lastOwnBeatAt = sentAt;
    const answer = await this.requireServer().request({
      type: 'heartbeat',
      party_id: partyId,
      peer_id: peerId,
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
    await this.requireServer().request({
      type: 'signal',
      party_id: partyId,
      from_peer_id: this.myPeerId,
      to_peer_id: toPeerId,
      signal_data: signalData as never,
    });
  }

  private adoptParty(answer: ServerMessage, peerId: string): PartyInfo {
    if (answer.type !== 'party_update') throw new ControlPlaneError('Unexpected server answer');
    const party = PartyInfo.fromParsed(answer.party);
    this.commit(
      party.partyId,
      { party, events: [{ type: 'party_created', party }] },
      {
        joinedAs: peerId,
      },
    );
    return party;
  }

  /** A party snapshot from the server replaces our copy; the events describe the difference. */
  private replaceParty(party: PartyInfo): void {
    const before = this.parties.get(party.partyId);
    const events: transitions.PartyEvent[] = before
      ? diffParty(before, party)
      : [{ type: 'party_created', party }];
    this.commit(party.partyId, { party, events });
  }

  /** After (re)connecting: the server's copy of each party we are in wins; one it lost is restored. */
  private async resyncAll(): Promise<void> {
    for (const partyId of [...this.activePartyIds]) {
      try {
        await this.resyncParty(partyId);
      } catch (error) {
        this.logger.warn(`Could not resynchronise party ${partyId}: ${String(error)}`);
      }
    }
  }

  private async resyncParty(partyId: string): Promise<void> {
    const local = this.parties.get(partyId);
    const me = this.myPeerId ? local?.peers.get(this.myPeerId) : undefined;
    if (!local || !me) return;
    const ws = this.requireServer();
    const party = await resyncParty((m) => ws.request(m), local, me);
    if (party) return this.replaceParty(party);
    // The server lost the party and its host has not brought it back: it is over.
    this.commit(partyId, {
      party: null,
      events: [{ type: 'party_closed', partyId, reason: 'host_left' }],
    });
  }

  private startHeartbeats(intervalMs: number): void {
    if (this.heartbeatTimer) this.clock.clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = this.clock.setInterval(() => {
      const { myPartyId, myPeerId } = this;
      if (!this.connected || !myPartyId || !myPeerId) return;
      if (!this.parties.get(myPartyId)?.peers.has(myPeerId)) return;
      this.heartbeat(myPartyId, myPeerId).catch((error: unknown) => {
        this.logger.warn(`Heartbeat failed: ${String(error)}`);
        // The server no longer has us (swept, or lost the party): get back in.
        if (error instanceof ControlPlaneError && error.code === 'not_found') {
          this.resyncParty(myPartyId).catch(() => {});
        }
      });
    }, intervalMs);
  }

  /** The server sweeps stale peers while we are connected; only local mode sweeps here. */
  protected override async cleanup(): Promise<void> {
    if (this.offline) await super.cleanup();
  }

  /** The spec's `close`: not connected any more, connection closed, timers stopped. */
  override async close(): Promise<void> {
    const closing = super.close();
    this.connected = false;
    if (this.heartbeatTimer) this.clock.clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    if (this.sleepTimer) {
      this.clock.clearTimeout(this.sleepTimer.handle);
      this.sleepTimer.wake();
    }
    this.ws?.close();
    this.ws = null;
    await closing;
  }

  /** The spec's `_handle_messages`: one branch per pushed message type. */
  private handleMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'party_update':
        return this.replaceParty(PartyInfo.fromParsed(message.party));
      case 'peer_joined': {
        const party = this.parties.get(message.party_id);
        if (!party) return;
        const peer = PeerInfo.fromParsed(message.peer);
        return this.commit(party.partyId, transitions.joinParty(party, peer, peer.lastSeen));
      }
      case 'peer_left': {
        const party = this.parties.get(message.party_id);
        if (party) this.commit(party.partyId, transitions.leaveParty(party, message.peer_id));
        return;
      }
      case 'party_closed':
        if (!this.parties.has(message.party_id)) return;
        return this.commit(message.party_id, {
          party: null,
          events: [{ type: 'party_closed', partyId: message.party_id, reason: 'host_left' }],
        });
      case 'signal':
        return this.emitChange({
          kind: 'signal',
          partyId: message.party_id,
          fromPeerId: message.from_peer_id,
          signalData: message.signal_data,
        });
      case 'error':
        return this.logger.warn(`Control server: ${message.message} (${message.code ?? 'error'})`);
      default:
        return; // welcome, ack, heartbeat_ack only ever answer our requests.
    }
  }
}
