/**
 * What an instance needs to host parties without a control server: its embedded server,
 * started when it first hosts and stopped once it holds no party (or on close), and discovery.json
 * kept listing what that server holds so the other instances on this machine can find and reach it.
 *
 * For LAN discovery (mDNS): `server` (null until hosting) with `hostedParties()`, `port`
 * and `onChange`, and `onServer` when a server starts or stops, to advertise; `addSource`
 * to offer parties found on the LAN (joined like this PC's, at their `controlUrl`).
 */
import type { Logger } from '../../../shared/logger';
import type { PartyInfo } from '../../../shared/model';
import type { Config } from '../config/config';
import { RecurringFault, type Report } from '../notices';
import { writeWords } from '../state/set-aside';
import type { Clock } from '../../../shared/time/clock';
import { DiscoveryBoard, type DiscoveredHost } from './discovery-board';
import { EmbeddedServer } from './embedded/embedded-server';
import { loadOrCreateLanCertificate } from '../identity/lan-certificate';
import { HostSources, type HostSource } from './host-sources';
import { loadInstanceId } from './instance-id';

export const LOCAL_SERVER_FILE = 'local_server.json';

export interface LocalHostingOptions {
  config: Config;
  clock: Clock;
  logger: Logger;
  report?: Report;
  /** Fallback poll of discovery.json (default 2 s). */
  discoveryPollMs?: number;
}

/** The key a local host's session token is saved under. */
export const sessionKeyOf = (hostInstance: string): string => `lanrage-local:${hostInstance}`;

/** `server`: the one running now (null: none); `stopped`: the one that just stopped. */
export type ServerListener = (server: EmbeddedServer | null, stopped?: EmbeddedServer) => void;

export class LocalHosting {
  readonly board: DiscoveryBoard;
  private running: EmbeddedServer | null = null;
  private starting: Promise<EmbeddedServer> | null = null;
  /** The last server's stop, while under way: the next one starts after it. */
  private stopping: Promise<void> | null = null;
  private readonly serverListeners = new Set<ServerListener>();
  private readonly sources = new HostSources();
  private readonly changeListeners = new Set<() => void>();
  private publishing: Promise<void> = Promise.resolve();
  /** Publishes the system refuses, told once while they last. */
  private readonly publishFault: RecurringFault;
  private stopWatching: (() => void) | null = null;
  private closed = false;
  /** Callers about to put a party on the server: it is not stopped for being empty meanwhile. */
  private leases = 0;
  /**
   * Who publishes: this process, and this instance (kept in its folder: stable across
   * restarts and moves, so a client's session with it is too: see `sessionKey`). Read when
   * the first server starts.
   */
  private publisher: { pid: number; instance: string } | null = null;

  constructor(private readonly options: LocalHostingOptions) {
    this.publishFault = new RecurringFault(options.report);
    this.board = new DiscoveryBoard(options.config.discoveryFile, {
      clock: options.clock,
      logger: options.logger,
      report: options.report,
      pollMs: options.discoveryPollMs,
    });
  }

  /** The embedded server, while this instance hosts. */
  get server(): EmbeddedServer | null {
    return this.running;
  }

  onServer(listener: ServerListener): () => void {
    this.serverListeners.add(listener);
    return () => this.serverListeners.delete(listener);
  }

  /** What a client's session with this instance's server is saved under (its port may change). */
  get sessionKey(): string {
    if (!this.publisher) throw new Error('No server hosted here yet');
    return sessionKeyOf(this.publisher.instance);
  }

  /** The running embedded server, started (and announced) on first use. */
  host(): Promise<EmbeddedServer> {
    if (this.running) return Promise.resolve(this.running);
    // After the last one has stopped: on the same port its URL is the same, and a client of
    // it must have let go of its link to it first, or it takes that link for one to this.
    const stopped = this.stopping?.catch(() => undefined) ?? Promise.resolve();
    this.starting ??= stopped.then(() => this.start()).finally(() => (this.starting = null));
    return this.starting;
  }

  /**
   * Runs `use` (which hosts a party here) with the server kept running even while it holds
   * nothing; afterwards, a server left empty stops.
   */
  async using<T>(use: () => Promise<T>): Promise<T> {
    this.leases += 1;
    try {
      return await use();
    } finally {
      this.leases -= 1;
      this.stopIfIdle();
    }
  }

  /**
   * Nobody here hosts anything any more (the host left, or ended the party): the server
   * stops listening, and discovery.json and the LAN (onServer) forget it. Its members
   * were told by the server itself (party_closed, host_changed) before it empties.
   */
  private stopIfIdle(): void {
    const server = this.running;
    if (!server || this.leases > 0 || !server.empty) return;
    this.options.logger.info('No party hosted here any more; the local server stops');
    void this.stop(true).catch((error: unknown) =>
      this.options.logger.warn(`Could not stop the local server: ${String(error)}`),
    );
  }

  /**
   * Adds a source of parties hosted elsewhere (the LAN's mDNS browser): asked after
   * discovery.json, its hosts are joined like this PC's. Returns remove.
   */
  addSource(source: HostSource): () => void {
    return this.sources.add(source, () => this.changeListeners.forEach((listener) => listener()));
  }

  /** Asks the LAN for its parties now; false: no LAN source to ask. */
  askNetwork(): boolean {
    return this.sources.ask();
  }

  /** Whether LAN discovery cannot send (a firewall, no route): see lan/send-health.ts. */
  get lanBlocked(): boolean {
    return this.sources.blocked();
  }

  /** Follows the LAN sources alone (watch() also reads discovery.json at once). */
  watchSources(onChange: () => void): () => void {
    this.changeListeners.add(onChange);
    return () => this.changeListeners.delete(onChange);
  }

  /**
   * Where a party without a server is served (this PC first); null when nobody hosts it.
   * With `pin` (the certificate its host showed us, or an invite link names), the place
   * announcing it with that pin, even where others announce it too and it is not listed.
   */
  async locate(partyId: string, pin?: string): Promise<DiscoveredHost | null> {
    return (await this.locateAll(partyId, pin))[0] ?? null;
  }

  /** Every place to try for a party, best first: this PC alone if it serves it. */
  async locateAll(partyId: string, pin?: string): Promise<DiscoveredHost[]> {
    const here = (await this.board.read()).get(partyId);
    return here ? [{ ...here, onThisPc: true }] : this.sources.placesOf(partyId, pin);
  }

  /** Parties hosted without a server on this PC (discovery.json). */
  async discover(): Promise<Map<string, PartyInfo>> {
    // This PC's only (the spec's discover_parties): "Parties nearby" takes the LAN's from
    // the mDNS browser itself, which knows where each is; the sources serve locate().
    const found = new Map<string, PartyInfo>();
    for (const [id, entry] of await this.board.read()) found.set(id, entry.party);
    return found;
  }

  /** Follows discovery.json and the sources (for parties appearing, and hosts that quit). */
  watch(onChange: () => void): () => void {
    const stop = this.board.watch(onChange);
    this.changeListeners.add(onChange);
    return () => {
      stop();
      this.changeListeners.delete(onChange);
    };
  }

  /** Waits until discovery.json lists what the embedded server holds now. */
  async settled(): Promise<void> {
    await this.publishing;
  }

  /**
   * Stops the embedded server (members are told the host left, or, in a party `owner` handed
   * over, that it closed here) and withdraws its parties.
   */
  async close(owner: string | null = null): Promise<void> {
    this.closed = true;
    await this.stop(true, owner);
  }

  /**
   * Back on the control server: stops serving (without ending the parties, which moved
   * there) and withdraws them from discovery.json. Hosting can start again later.
   */
  release(): Promise<void> {
    return this.stop(false);
  }

  private async stop(closeParties: boolean, owner: string | null = null): Promise<void> {
    const server = this.running ?? (await this.starting?.catch(() => null)) ?? null;
    if (!server) return;
    this.running = null;
    this.stopWatching?.();
    this.stopWatching = null;
    const stopping = this.stopServer(server, closeParties, owner);
    this.stopping = stopping;
    try {
      await stopping;
    } finally {
      if (this.stopping === stopping) this.stopping = null;
    }
  }

  private async stopServer(
    server: EmbeddedServer,
    closeParties: boolean,
    owner: string | null,
  ): Promise<void> {
    await server.close({ closeParties, owner });
    // Withdrawn from discovery.json before anyone hears it stopped.
    this.publish();
    await this.publishing;
    this.emitServer(null, server);
  }

  private async start(): Promise<EmbeddedServer> {
    const { config, logger, report } = this.options;
    this.publisher ??= await this.identify();
    // Read at each start: a certificate kept aside and replaced is reported once, then used.
    const tls = config.lanListen
      ? await loadOrCreateLanCertificate(config.keysDir, { logger, report })
      : undefined;
    const server = await EmbeddedServer.start({
      file: `${config.instanceDir}/${LOCAL_SERVER_FILE}`,
      host: config.lanListen ? '0.0.0.0' : '127.0.0.1',
      port: config.lanPort,
      logger,
      report,
      heartbeatIntervalS: config.heartbeatInterval,
      peerTimeoutMs: config.peerTimeoutMs,
      sweepIntervalMs: config.cleanupIntervalMs,
      ...(tls ? { tls } : {}),
    });
    if (this.closed) {
      await server.close();
      throw new Error('closed');
    }
    this.running = server;
    const lan = server.tls
      ? ` (LAN; TLS on port ${server.tls.port})`
      : server.onLan
        ? ' (LAN)'
        : '';
    logger.info(`Hosting parties on port ${server.port}${lan}`);
    server.onChange(() => {
      this.publish();
      this.stopIfIdle();
    });
    // Another host may overwrite our entries (two wrote at once): put them back.
    this.stopWatching = this.board.watch(() => this.publish());
    this.publish();
    await this.publishing;
    this.emitServer(server);
    return server;
  }

  /** Who publishes, the instance's id read from its folder (made there the first time). */
  private async identify(): Promise<{ pid: number; instance: string }> {
    const { config, logger, report, clock } = this.options;
    const warn = (message: string) => logger.warn(message);
    const tell = { report: report ?? warn, warn };
    return { pid: process.pid, instance: await loadInstanceId(config, tell, () => clock.now()) };
  }

  /** Writes our entries, one write at a time (a later call sees the latest parties). */
  private publish(): void {
    this.publishing = this.publishing.then(async () => {
      const server = this.running;
      const me = this.publisher;
      if (!me) return;
      try {
        const parties = server?.hostedParties() ?? [];
        await this.board.publish(me, parties, server?.url ?? null);
        this.publishFault.cleared();
      } catch (error) {
        this.options.logger.warn(`Could not update ${this.board.path}: ${String(error)}`);
        this.publishFault.tell(
          `Other LANrage windows on this PC cannot list the parties you host: ${this.board.path} ` +
            `could not be saved (${writeWords(error)}).`,
        );
      }
    });
  }

  private emitServer(server: EmbeddedServer | null, stopped?: EmbeddedServer): void {
    for (const listener of [...this.serverListeners]) listener(server, stopped);
  }
}
