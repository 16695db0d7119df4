/**
 * The client engine's link to a control server: one connection at a time, to the configured
 * server or a local host's embedded one, made the link only once it said welcome (our
 * session token and identity proof presented), then the parties it serves resynchronised.
 * Its pushes go to the party sync (resync.ts) and access control (client-access.ts).
 */
import { ControlPlaneError } from '../../../../shared/protocol/errors';
import type { Config } from '../../config/config';
import { ChallengeBox, ClientAccess } from '../access/client-access';
import { ControlPlane } from '../../control-plane';
import { HELLO_TIMEOUT_MS, readWelcome, type ServerIntervals } from '../sync/answers';
import type { RemoteControlPlaneOptions } from '../options';
import type { PushTarget } from '../sync/push';
import { PartySync, type Request } from '../sync/resync';
import { ServerClock } from './server-clock';
import { helloMessage, SavedSession } from './session';
import { WsClient, type WsClientOptions } from './ws-client';

/** Changes of the server clock's offset smaller than this are not pushed to the UI. */
const SHOWN_CLOCK_STEP_MS = 250;

/** Where local-mode links keep their session token (the configured server's is apart). */
export const LOCAL_SESSION_FILE = 'local_session.json';

export abstract class ServerLink extends ControlPlane {
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
  /** How far the linked server's clock is from ours (its dates are read through it). */
  protected readonly serverClock = new ServerClock();
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
      liveness: options.liveness,
    };
    this.helloTimeoutMs = options.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
    this.pushTarget = {
      parties: this.parties,
      memberOf: this.activePartyIds,
      logger: this.logger,
      commit: (partyId, t) => this.commit(partyId, t),
      emitChange: (change) => this.emitChange(change),
      setPresence: (partyId, presence) => this.setPresence(partyId, presence),
      banning: new Set(),
    };
    this.sync = new PartySync(this.pushTarget, this, options.report);
    this.clientAccess = new ClientAccess(
      options.identity,
      this.clock,
      this.serverClock,
      this.pushTarget,
      (partyId) => this.requireServer(partyId),
      (answer) => this.sync.push(answer, this.requester(answer.party.party_id)),
    );
  }

  /** The configured server's URL, null in local mode. */
  protected get homeUrl(): string | null {
    return null;
  }

  /** Whether `url` is the configured server's (not a local host's embedded one). */
  protected isConfigured(url: string): boolean {
    return url === this.homeUrl;
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

  /** A connection to `url`, its pushes and answers read once it is the link (or joining). */
  private async open(url: string, challenge: ChallengeBox): Promise<WsClient> {
    const ws: WsClient = await WsClient.connect(url, {
      ...this.wsOptions,
      plainFallback: this.mayDialPlain(url),
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
      onQuiet: (quiet) => {
        if (this.ws === ws) this.setStatus({ serverQuiet: quiet });
      },
    });
    return ws;
  }

  private async link(url: string): Promise<void> {
    const challenge = new ChallengeBox();
    const ws = await this.open(url, challenge);
    if (this.isClosed) return ws.close();
    // Event numbers are per server: this link's snapshots start them again.
    this.sync.order.reset();
    this.sync.early.clear();
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
    if (this.status().serverQuiet === true) this.setStatus({ serverQuiet: false });
    if ((this.status().plainLink === true) !== ws.fellBackToPlain) {
      this.setStatus({ plainLink: ws.fellBackToPlain });
    }
    this.linked(url);
    const request: Request = (message) => ws.request(message);
    const served = (partyId: string) => this.homeOf(partyId) === url;
    await this.sync.afterConnect(request, served);
    await this.clientAccess.resume(request, served, this.logger);
    this.resynced(served);
  }

  /** Whether a LAN host at `url` may be dialled in plain when its TLS port does not answer. */
  protected mayDialPlain(_url: string): boolean {
    return true;
  }

  /** A new link is up (before the resync): subclasses reset their retry state. */
  protected linked(_url: string): void {}

  /** The new link's parties (those `served`) are in step with its server. */
  protected resynced(_served: (partyId: string) => boolean): void {}

  /**
   * The spec's `_authenticate`: hello, presenting our earlier session token if any, and
   * (1.2) our identity key's proof, which gets our peer ids back even without the token.
   */
  private async authenticate(ws: WsClient, url: string, challenge: ChallengeBox): Promise<void> {
    const session = await this.sessionFor(url);
    // A local host (this PC's or the LAN's) is an app's embedded server: it asks for an
    // audience, and a proof for one that does not may be good on another server.
    // The server it went to: after a LAN host's fallback, its plain port, not the TLS one.
    const identity = await this.clientAccess.proof(challenge, ws.url, !this.isConfigured(url));
    const hello = helloMessage(session.token, identity);
    const sentAt = this.clock.now();
    const welcome = await ws.hello(hello, this.helloTimeoutMs);
    const { sessionToken, intervals } = readWelcome(welcome, this.logger);
    this.serverIntervals = intervals;
    // A new server, maybe another clock: its pushes from now on are dated by it.
    this.serverClock.reset();
    if (welcome.type === 'welcome') {
      this.serverClock.observe(welcome.server_time, sentAt, this.clock.now());
    }
    this.showServerClock();
    // Its members are removed after its timeout, not ours: rows count down to that.
    this.setStatus({ peerTimeoutMs: intervals.peerTimeoutMs });
    // The server decides how often we beat (within bounds): the one timer follows it.
    this.setHeartbeatInterval(intervals.heartbeatIntervalMs);
    await session.adopt(sessionToken);
  }

  /** The status carries the offset when it moved enough to change a date shown in seconds. */
  protected showServerClock(): void {
    const offset = this.serverClock.offsetMs;
    const shown = this.status().serverClockOffsetMs ?? 0;
    if (Math.abs(offset - shown) >= SHOWN_CLOCK_STEP_MS) {
      this.setStatus({ serverClockOffsetMs: offset });
    }
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
    // Told with what the loss brings (reconnecting, the host away): told alone, it would
    // show "Connected" for a moment. Left set, it outlived the link: a party this app then
    // hosted itself showed every member as unknown.
    const unlinked = { hostAddress: undefined, hostPin: undefined, hostAt: undefined };
    this.setStatusUntold({ serverQuiet: false, plainLink: false, ...unlinked });
    if (this.isClosed) return;
    this.linkLost(this.linkUrl, code);
  }

  /**
   * Our link to `url` ends now (its server stopped on purpose): requests on it fail at once,
   * and the next connectTo(url) links anew. Nothing else follows, as it would a lost link.
   */
  protected dropLinkTo(url: string): void {
    const ws = this.ws;
    if (!ws || this.linkUrl !== url) return;
    this.ws = null;
    this.linkUp = false;
    ws.close();
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
  /** The app is closing: waiting joins end here; the server keeps the requests. */
  override stopWaiting(): void {
    this.clientAccess.pending.cancelAll();
  }

  /** State saved, link closed. */
  override async close(): Promise<void> {
    const closing = super.close();
    this.linkUp = false;
    this.ws?.close();
    this.ws = null;
    await closing;
    await Promise.all([...this.sessions.values()].map((session) => session.close()));
  }
}
