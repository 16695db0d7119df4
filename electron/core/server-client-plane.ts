/**
 * The one client engine: every party lives on a control server and this class is a client
 * of it. The server is the configured one (RemoteControlPlane) or, without one or while it
 * is out of reach, the embedded server of the instance that hosts the party (local mode:
 * hosting-plane.ts). Requests go over one link at a time; each party has a home server,
 * and a (re)connected link resynchronises only the parties it serves.
 */
import type { PartySummaryDict } from '../../shared/access-protocol';
import { ControlPlaneError } from '../../shared/errors';
import type { PartyInfo, PeerInfo } from '../../shared/model';
import { withDefaults, type NewPartySettings } from '../../shared/party-settings';
import * as transitions from '../../shared/party-transitions';
import type { PartyEvent } from '../../shared/party-transitions';
import type { ClientMessageInput } from '../../shared/protocol';
import type { Config } from './config';
import { ChallengeBox, ClientAccess } from './client-access';
import { ControlPlane } from './control-plane';
import { HELLO_TIMEOUT_MS, partyAnswer, readWelcome, type ServerIntervals } from './remote-answers';
import type { RemoteControlPlaneOptions } from './remote-options';
import { closeParty, type PushTarget } from './remote-push';
import { isNotFound, PartySync, type Request } from './remote-resync';
import { helloMessage, SavedSession } from './remote-session';
import type { JoinCredentials } from './types';
import { WsClient, type WsClientOptions } from './ws-client';

type EnterMessage = Extract<ClientMessageInput, { type: 'register_party' | 'join_party' }>;

/** Where local-mode links keep their session token (the configured server's is apart). */
export const LOCAL_SESSION_FILE = 'local_session.json';

export class ServerClientPlane extends ControlPlane {
  ws: WsClient | null = null;
  /** Linked to a server (the configured one or a local host) that said welcome. */
  linkUp = false;

  /** The spec's `connected`: here, linked (RemoteControlPlane: to its server, in step). */
  get connected(): boolean {
    return this.linkUp;
  }
  /** The server the link goes to (null: none yet). */
  linkUrl: string | null = null;
  /** What the linked server's welcome announced, clamped (null before the first welcome). */
  serverIntervals: ServerIntervals | null = null;
  protected readonly pushTarget: PushTarget;
  protected readonly sync: PartySync;
  private readonly wsOptions: Omit<WsClientOptions, 'onPush' | 'onClose'>;
  private readonly helloTimeoutMs: number;
  private readonly sessions = new Map<string, SavedSession>();
  private linking: Promise<void> = Promise.resolve();
  /** The connection saying hello, before it becomes the link. */
  private joining: WsClient | null = null;
  /** Identity proof, waiting joins, access pushes and requests (protocol 1.2). */
  protected readonly clientAccess: ClientAccess;

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
    this.clientAccess = new ClientAccess(
      options.identity,
      this.clock,
      this.pushTarget,
      (partyId) => this.requireServer(partyId),
      (answer) => this.sync.push(answer, this.requester(answer.party.party_id)),
    );
  }

  /** Access control goes through the linked server; null while there is none. */
  override get access(): ClientAccess['desk'] | null {
    return this.linkUp ? this.clientAccess.desk : null;
  }

  /** The configured server's URL, null in local mode. */
  protected get homeUrl(): string | null {
    return null;
  }

  /** Which server a party lives on (here: the configured one). */
  protected homeOf(_partyId: string): string | null {
    return this.homeUrl;
  }

  /**
   * Connects to `url`, says hello, and only then makes it the link (closing the previous
   * one), so a failed attempt leaves the current link as it was. Then the parties this
   * server serves are brought in step with it.
   */
  protected connectTo(url: string): Promise<void> {
    // One link change at a time: a second waits, then finds the link already there.
    const run = this.linking.then(() =>
      this.linkUp && this.linkUrl === url ? undefined : this.link(url),
    );
    this.linking = run.catch(() => undefined);
    return run;
  }

  private async link(url: string): Promise<void> {
    const challenge = new ChallengeBox();
    const ws = await WsClient.connect(url, {
      ...this.wsOptions,
      onPush: (message) => {
        if (this.clientAccess.push(challenge, message)) return;
        // Also while saying hello: a resumed session may be told something right after welcome.
        if (this.ws === ws || this.joining === ws) this.sync.push(message, this.requester());
      },
      // Before any push read with it: our answered events are not taken for a gap.
      onAnswer: (request, answer) => {
        if ('party_id' in request && (this.ws === ws || this.joining === ws)) {
          this.sync.answered(request.party_id, answer);
        }
      },
      onClose: (code) => this.onConnectionLost(ws, code),
    });
    if (this.isClosed) return ws.close();
    // Event numbers are per server: this link's snapshots start them again.
    this.sync.order.reset();
    this.joining = ws;
    try {
      await this.authenticate(ws, url, challenge);
    } catch (error) {
      ws.close();
      throw error;
    } finally {
      this.joining = null;
    }
    const previous = this.ws;
    this.ws = ws;
    this.linkUrl = url;
    this.linkUp = true;
    previous?.close();
    this.linked(url);
    await this.sync.afterConnect(
      (message) => ws.request(message),
      (partyId) => this.homeOf(partyId) === url,
    );
  }

  /** A new link is up (before the resync): subclasses reset their retry state. */
  protected linked(_url: string): void {}

  /**
   * The spec's `_authenticate`: hello, presenting our earlier session token if any, and
   * (1.2) our identity key's proof, which gets our peer ids back even without the token.
   */
  private async authenticate(ws: WsClient, url: string, challenge: ChallengeBox): Promise<void> {
    const session = await this.sessionFor(url);
    const identity = await this.clientAccess.proof(challenge);
    const hello = helloMessage(session.token, identity);
    const welcome = await ws.request(hello, this.helloTimeoutMs);
    const { sessionToken, intervals } = readWelcome(welcome, this.logger);
    this.serverIntervals = intervals;
    // The server decides how often we beat (within bounds): the one timer follows it.
    this.setHeartbeatInterval(intervals.heartbeatIntervalMs);
    await session.adopt(sessionToken);
  }

  /** What a server's session token is saved under (here: its URL). */
  protected sessionKeyFor(url: string): string {
    return url;
  }

  protected async sessionFor(url: string): Promise<SavedSession> {
    const key = this.sessionKeyFor(url);
    let session = this.sessions.get(key);
    if (!session) {
      const file = url === this.homeUrl ? undefined : LOCAL_SESSION_FILE;
      session = new SavedSession(this.config.instanceDir, key, this.options.report, file);
      await session.load();
      this.sessions.set(key, session);
    }
    return session;
  }

  /** The link dropped (not by us): subclasses decide what happens to its parties. */
  protected linkLost(_url: string | null, _code: number): void {}

  /** We are out of a party (left, or closed it). */
  protected forget(_partyId: string): void {}

  private onConnectionLost(ws: WsClient, code: number): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.linkUp = false;
    if (this.isClosed) return;
    this.linkLost(this.linkUrl, code);
  }

  /** The link's request function, when linked to the party's home. */
  protected requester(partyId?: string): Request | null {
    const ws = this.linkUp ? this.ws : null;
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
   * Its presence is taken too. A 1.2 server's party dict has its settings; an older one's
   * has none, so ours are kept for a re-register to ask for the same.
   */
  protected async enter(
    message: EnterMessage,
    peerId: string,
    settings?: NewPartySettings,
  ): Promise<PartyInfo> {
    const partyId = message.party_id;
    const answer = await this.clientAccess.settle(
      await this.requireServer()(message),
      partyId,
      // The host decides: the answer comes as a push (remote-pending.ts).
      (expiresAt) => this.emitChange({ kind: 'join_pending', partyId, expiresAt }),
    );
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

  /** join_party with what lets us in (a password or an invite), if any. */
  protected joinMessage(
    partyId: string,
    peerInfo: PeerInfo,
    credentials: JoinCredentials = {},
  ): EnterMessage {
    return { type: 'join_party', party_id: partyId, peer: peerInfo.toDict(), ...credentials };
  }

  /** A stranger's view of a party through the link: its summary; null when there is none. */
  protected linkedSummary(partyId: string): Promise<PartySummaryDict | null> {
    return this.clientAccess.desk.summary(partyId);
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
    this.forget(partyId);
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
    if (peerId === this.myPeerId) this.forget(partyId);
  }

  /** Without the server the change is made here; the resync after reconnecting sends it. */
  override async updatePeer(partyId: string, peerInfo: PeerInfo): Promise<void> {
    const request = this.requester(partyId);
    if (request) {
      await request({ type: 'update_peer', party_id: partyId, peer: peerInfo.toDict() });
    }
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

  /** State saved, link closed. */
  override async close(): Promise<void> {
    const closing = super.close();
    this.linkUp = false;
    this.ws?.close();
    this.ws = null;
    await closing;
  }
}
