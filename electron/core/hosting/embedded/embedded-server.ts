/**
 * The control server running inside the app (local mode and the offline fallback): the
 * same server core as `npm run server`, with its parties in a file under the LANrage home
 * (file-party-store.ts) instead of SQLite. The instance that hosts a party runs it; every
 * other instance, on this PC or the LAN, joins it as a client, as it would a remote server.
 *
 * For discovery (discovery.json here, mDNS on the LAN): `hostedParties()`, `port`,
 * `onlineCount()`, and `onChange` whenever the hosted parties change durably or someone's
 * presence changes.
 */
import { isIP } from 'node:net';
import type { Logger } from '../../../../shared/logger';
import type { PartyInfo } from '../../../../shared/model';
import { CloseReason, type PartyEvent } from '../../../../shared/party/events';
import { WS_PATH } from '../../../../shared/protocol/protocol';
import { MAX_PEERS_PER_PARTY } from '../../../../shared/party/settings';
import { MAX_PORT } from '../../../../shared/values/port';
import {
  EmbeddedBackend,
  keepRulesOfEndedParties,
  ownOrigins,
  startServerCore,
  type AudienceCheck,
  type RunningServer,
} from '../../../../server/server-core';
import type { Report } from '../../notices';
import { FilePartyStore } from './file-party-store';

export interface EmbeddedServerOptions {
  /** The store file (in the instance's folder). */
  file: string;
  /** '0.0.0.0' (the LAN, the default) or a loopback address (this PC only). */
  host: string;
  /** Tried first; if taken, any free port. 0: any free port. */
  port: number;
  logger: Logger;
  report?: Report;
  /** Seconds, announced to clients in `welcome`. */
  heartbeatIntervalS: number;
  peerTimeoutMs: number;
  sweepIntervalMs: number;
  /**
   * On the LAN, also served over TLS with this certificate, at the port after `port` (or any
   * free one), both announced by mDNS so that guests pin it: a session token, a party password
   * and voice set-up crossed the LAN in the clear over plain ws.
   */
  tls?: { cert: string; key: string; sha256: string };
}

/** Where the LAN's guests dial with TLS, and the certificate's SHA-256 they pin. */
export interface LanTls {
  port: number;
  sha256: string;
}

/**
 * Who hosts a party again (restore): this app's session token with the server (null: none
 * saved) and, when it may re-claim by it, its identity key's public half (null: it may not).
 */
export interface HostOwner {
  token: string | null;
  key: string | null;
}

export type HostedListener = (parties: readonly PartyInfo[]) => void;

const eitherOrigin =
  (...checks: AudienceCheck[]): AudienceCheck =>
  (audience) =>
    checks.some((check) => check(audience));

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host.startsWith('127.');

/** Two full parties' members (a host that handed one over still serves it) or strangers asking. */
export const EMBEDDED_MAX_CONNECTIONS = 2 * MAX_PEERS_PER_PARTY;
/**
 * Connections one address may hold: a LAN guest's PC needs one per LANrage running there. The
 * server's 256 is for a NAT address shared by a whole party; here two LAN addresses took all 512.
 */
export const EMBEDDED_MAX_PER_ADDRESS = 32;

export class EmbeddedServer {
  private readonly listeners = new Set<HostedListener>();
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly running: RunningServer,
    private readonly store: FilePartyStore,
    readonly host: string,
    private readonly sha256: string | null,
  ) {
    store.onPartiesChanged = () => this.notify();
    running.context.service.onPresence = () => this.notify();
  }

  /** Listens on the preferred port, or any free one when it is taken. */
  static async start(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
    const store = new FilePartyStore(options.file, {
      logger: options.logger,
      report: options.report,
    });
    let running: RunningServer | undefined;
    const tls = isLoopback(options.host) ? undefined : options.tls;
    const core = {
      host: options.host,
      logger: options.logger,
      heartbeatIntervalS: options.heartbeatIntervalS,
      peerTimeoutMs: options.peerTimeoutMs,
      sweepIntervalMs: options.sweepIntervalMs,
      // Its guests gave its parties up when it went away: they come back offline, as they are.
      loadedPresence: 'as-stored' as const,
      // A gamer's PC serving its own parties, not a public server: far below a desktop's
      // `ulimit -n`, so hosting never prints a server operator's warning about it.
      admission: {
        maxConnections: EMBEDDED_MAX_CONNECTIONS,
        maxPerAddress: EMBEDDED_MAX_PER_ADDRESS,
      },
      // Dialled only at this PC's addresses: an identity proof naming another was made for
      // a hostile host passing on our challenge (protocol 1.7).
      audience: eitherOrigin(
        ownOrigins(() => running?.port ?? -1),
        ownOrigins(() => running?.tlsPort ?? -1, 'wss:'),
      ),
    };
    // The port after ours, where there is one; else any free port (it is announced).
    const next = (port: number) => (port === 0 || port >= MAX_PORT ? 0 : port + 1);
    const tlsAt = (port: number) =>
      tls ? { alsoTls: { cert: tls.cert, key: tls.key, port: next(port) } } : {};
    const deps = { backend: new EmbeddedBackend(store), logger: options.logger };
    try {
      running = await startServerCore(
        { ...core, port: options.port, ...tlsAt(options.port) },
        deps,
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.port === 0) throw error;
      options.logger.warn(`Port ${options.port} is taken; the local server uses a free port`);
      running = await startServerCore({ ...core, port: 0, ...tlsAt(0) }, deps);
    }
    return new EmbeddedServer(running, store, options.host, tls?.sha256 ?? null);
  }

  get port(): number {
    return this.running.port;
  }

  /** Its TLS port and certificate's pin, while it serves the LAN with them. */
  get tls(): LanTls | null {
    const port = this.running.tlsPort;
    return port === null || this.sha256 === null ? null : { port, sha256: this.sha256 };
  }

  /** Whether other machines can reach it (it listens beyond loopback). */
  get onLan(): boolean {
    return !isLoopback(this.host);
  }

  /** The URL this machine's clients use: loopback, whatever address it listens on. */
  get url(): string {
    const host = isLoopback(this.host) ? this.host : isIP(this.host) === 6 ? '::1' : '127.0.0.1';
    const urlHost = host.includes(':') ? `[${host}]` : host;
    return `ws://${urlHost}:${this.port}${WS_PATH}`;
  }

  /** Whether it holds no party now (stored or about to be). */
  get empty(): boolean {
    return this.running.context.service.parties.size === 0;
  }

  /** Whether it holds the party now (stored or about to be: hostedParties may lag). */
  holds(partyId: string): boolean {
    return this.running.context.service.parties.has(partyId);
  }

  /** How many of the party's members are online now (0 for a party it does not hold). */
  onlineCount(partyId: string): number {
    const presence = this.running.context.service.presence.presenceOf(partyId);
    return Object.values(presence).filter((p) => p.status === 'online').length;
  }

  /**
   * When the freshest link of the members online here other than `me` was last heard, on
   * the server's clock (a member with no link: never); null when nobody else is online.
   * Their own server keeps calling them online for two heartbeats after their links went
   * silent: the host's app reads this to know sooner (lan-cut-off.ts).
   */
  othersHeardAt(me: string | null): number | null {
    const { service, presence } = this.running.context;
    let newest: number | null = null;
    for (const partyId of service.parties.keys()) {
      for (const [peerId, p] of Object.entries(service.presence.presenceOf(partyId))) {
        if (peerId === me || p.status !== 'online') continue;
        const at = presence.routeOf(peerId)?.heardAt ?? Number.NEGATIVE_INFINITY;
        newest = Math.max(newest ?? at, at);
      }
    }
    return newest;
  }

  /** The parties this server holds, as last stored. */
  hostedParties(): PartyInfo[] {
    return [...this.store.current.values()];
  }

  /**
   * Hosts again a party this app hosted before, read from its own state file: in process,
   * not over the wire, so a party whose id is shorter than a new one may be (the seed's
   * ids can be) comes back while registrations from anyone else still need a long id. Only
   * its host is put back (the others rejoin as they reconnect), owned by the session
   * `owner.token` (or a new one): that session alone may act as the host. Returns the
   * session's token; null when the server has the party already or the host is not ours.
   * The host is ours when our session owns it, or when it is bound to `owner.key`, our
   * identity key: the app re-claims it then, as its key would over the wire, so a lost or
   * damaged session file does not end the party it hosts. An id bound to another key never is.
   * `keepMembers` (the offline fallback: the party lives on a server that is out of reach,
   * its members are not gone) keeps the others too, offline since their last beat, so the
   * host's list does not empty while the server is away.
   */
  restore(party: PartyInfo, owner: HostOwner, keepMembers = false): string | null {
    const { service, sessions, clock } = this.running.context;
    const host = party.peers.get(party.hostId);
    if (!host || service.parties.has(party.partyId)) return null;
    const session = this.sessionFor(host.peerId, owner);
    if (session === null) return null;
    const now = new Date(clock.now());
    const peers = new Map(keepMembers ? party.peers : []);
    peers.set(host.peerId, host.with({ lastSeen: now }));
    const restored = party.with({ peers });
    const events: PartyEvent[] = [{ type: 'party_created', party: restored }];
    service.apply(party.partyId, { party: restored, events }, new Set([host.peerId]));
    for (const peer of restored.peers.values()) {
      if (peer.peerId === host.peerId) continue;
      service.presence.restore(party.partyId, peer.peerId, peer.lastSeen.getTime(), now.getTime());
    }
    sessions.take(session, host.peerId);
    return session;
  }

  /** The session that is to own `peerId` when `owner` may act as it; null when it may not. */
  private sessionFor(peerId: string, owner: HostOwner): string | null {
    const { sessions, access } = this.running.context;
    const bound = access.bindings.keyOf(peerId);
    if (bound !== undefined && owner.key !== null && bound !== owner.key) return null;
    const current = sessions.ownerOf(peerId);
    const ours = current === undefined || current === owner.token;
    if (!ours && (bound === undefined || bound !== owner.key)) return null;
    if (current !== undefined && current === owner.token) return current;
    const { token } = owner;
    return token !== null && sessions.isKnown(token) ? token : sessions.issue();
  }

  onChange(listener: HostedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops serving. By default the parties go with it: every member is told `party_closed`
   * (they cannot outlive the process that serves them), then the server drains. The host's
   * own client keeps its parties and hosts them again on restart. The reason is `host_left`
   * for the parties `owner` (the serving app's peer) hosts; one it handed over ends with
   * `server_left`: its host, told "the host left", was the one still in it.
   */
  close(options: { closeParties?: boolean; owner?: string | null } = {}): Promise<void> {
    this.closing ??= this.shutdown(options.closeParties ?? true, options.owner ?? null);
    return this.closing;
  }

  /**
   * `closeParties` false: the parties are not ended, only no longer served here (they move
   * back to the control server, where their members follow them).
   */
  private async shutdown(closeParties: boolean, owner: string | null): Promise<void> {
    const { service } = this.running.context;
    // Ended for its members, not for its host, whose app hosts it again on its next start.
    keepRulesOfEndedParties(this.running.context);
    for (const [partyId, party] of closeParties ? [...service.parties] : []) {
      const handedOver = owner !== null && party.hostId !== owner;
      const reason = handedOver ? CloseReason.SERVER_LEFT : CloseReason.HOST_LEFT;
      const events: PartyEvent[] = [{ type: 'party_closed', partyId, reason }];
      service.apply(partyId, { party: null, events }, new Set());
    }
    await this.running.close();
    this.listeners.clear();
  }

  private notify(): void {
    const parties = this.hostedParties();
    for (const listener of [...this.listeners]) listener(parties);
  }
}
