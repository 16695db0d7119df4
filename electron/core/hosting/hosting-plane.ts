/**
 * The client engine plus hosting without a server: our embedded server (started when we
 * first host), and the local hosts of parties we join, found in discovery.json (or a LAN
 * source; which of them we trust: host-trust-plane.ts). When a local host's link drops and
 * the host is gone, its parties end as when a host quits.
 */
import { ControlPlaneError } from '../../../shared/protocol/errors';
import type { PartyInfo, PeerInfo } from '../../../shared/model';
import { newSettingsToDict, type NewPartySettings } from '../../../shared/party/settings';
import { RefusalCode } from '../../../shared/protocol/refusals';
import type { Config } from '../config/config';
import type { DiscoveredHost } from './discovery-board';
import type { EmbeddedServer } from './embedded/embedded-server';
import { seenWhenLastHeard } from './seen-when-heard';
import { sameServed, servedFor } from './served-for';
import type { ServedParty } from '../../../shared/status';
import { LocalHosting, sessionKeyOf } from './hosting';
import type { RemoteControlPlaneOptions } from '../client/options';
import { closeParty } from '../client/sync/push';
import { HostTrustPlane } from './host-trust-plane';
import { byPinProbe } from '../client/link/pin-probe';
import { pinOf } from '../client/link/pinned-tls';
import { CLOSE_SILENT, hadNoNetwork, wasRefused } from '../client/link/ws-client';
import type { JoinCredentials } from '../types';
import { DEFAULT_LIVENESS } from '../client/link/link-liveness';
import { CutOffWatch } from './lan-cut-off';
import { AtProbes, AtSource, hostAt, lookForAt } from './host-at';
import { AtWatch } from './at-watch';
import { answersAt, hostAddresses } from './lan-addresses';
import { silentPatienceMs } from './silent-host';

/** A local host that dropped its link is tried this often, this many times. */
const LOCAL_RETRY_MS = 500;
const LOCAL_RETRIES = 10;
/** A host gone silent (asleep?) is tried this often while it is waited for. */
const SILENT_RETRY_MS = 2000;

export abstract class HostingPlane extends HostTrustPlane {
  /** Hosting without a server: the embedded server and discovery.json. */
  readonly hosting: LocalHosting;
  /** Local hosts' URL → the stable key their session is saved under (their port may change). */
  private readonly sessionKeys = new Map<string, string>();
  /** Whether this PC, hosting on the LAN, is cut off from it (lan-cut-off.ts). */
  private readonly cutOff: CutOffWatch;
  /** Parties we were in at a link's address, looked for there once out (at-watch.ts). */
  private readonly atWatch = new AtWatch(this.clock, this.logger, this.options.atWatch);
  /** Parties joined at an address their invite link named (host-at.ts). */
  private readonly atSource = new AtSource(() => this.scheduleSave(), this.atWatch);

  constructor(config: Config, options: RemoteControlPlaneOptions = {}) {
    super(config, options);
    this.cutOff = new CutOffWatch({
      clock: this.clock,
      deadMs: (options.liveness ?? DEFAULT_LIVENESS).deadMs,
      me: () => this.myPeerId,
      onChange: (lanCutOff) => this.setStatus({ lanCutOff }),
      hasNetwork: options.hasLanAddress,
      // A new DHCP lease, a second network: the addresses our invite links name follow.
      onCheck: () => this.linkUp && this.linkUrl !== null && this.linked(this.linkUrl),
    });
    this.hosting = new LocalHosting({
      config,
      clock: this.clock,
      logger: this.logger,
      report: options.report,
      discoveryPollMs: options.discoveryPollMs,
    });
    // First: a party joined at its link's address is relinked there, as it was joined.
    this.hosting.addSource(this.atSource);
    this.hosting.addSource(this.atWatch);
    this.hosting.onServer((server, stopped) => {
      // Our link to it ends here, even if we have not read its close yet: the next server
      // may listen on the same port, and its URL must not pass for this link's.
      if (stopped) this.dropLinkTo(stopped.url);
      this.setStatus({ localServer: server ? { port: server.port, lan: server.onLan } : null });
      server?.onChange((parties) => this.showServedFor(servedFor(parties, this.myPeerId)));
      this.cutOff.watch(server);
    });
    this.hosting.watchSources(() => {
      const lanBlocked = this.hosting.lanBlocked;
      if ((this.status().lanBlocked ?? false) !== lanBlocked) this.setStatus({ lanBlocked });
    });
  }

  /** Said beside where our server listens: a party handed over is why it still does. */
  private showServedFor(served: ServedParty[]): void {
    const now = this.status().localServer;
    if (!now || sameServed(now.servedFor ?? [], served)) return;
    this.setStatus({ localServer: { ...now, servedFor: served } });
  }

  protected override homeOf(partyId: string): string | null {
    return this.localHomes.get(partyId) ?? this.homeUrl;
  }

  protected override sessionKeyFor(url: string): string {
    return this.sessionKeys.get(url) ?? url;
  }

  /** Parties we were in, answering at their link's address now (at-watch.ts). */
  readonly nearbyAt = (): DiscoveredHost[] => [...this.atWatch.hosts().values()];

  /** "Parties nearby" follows discovery.json (and any LAN source) through this. */
  watchNearby(listener: () => void): () => void {
    return this.hosting.watch(listener);
  }

  /**
   * Linked: to another app hosting our party without a server, whose address is said; to a
   * LAN host over TLS (or our own server, serving TLS), whose pin invite links carry.
   */
  protected override linked(url: string): void {
    const own = this.hosting.server?.url === url;
    const configured = this.isConfigured(url);
    const hostAddress = own || configured ? undefined : new URL(url).hostname;
    const tlsPin = this.ws?.fellBackToPlain === false ? (pinOf(url) ?? undefined) : undefined;
    const ownPin = own ? this.hosting.server?.tls?.sha256 : tlsPin;
    const hostPin = configured ? undefined : ownPin;
    const tlsPort = own ? (this.hosting.server?.tls?.port ?? null) : undefined;
    const addresses = this.options.hostAddresses ?? hostAddresses;
    const rank = this.options.addressRank;
    const hostAt = hostPin === undefined ? undefined : answersAt(url, tlsPort, addresses, rank);
    const now = this.status();
    const sameAt = (now.hostAt ?? []).join() === (hostAt ?? []).join();
    if (now.hostAddress !== hostAddress || now.hostPin !== hostPin || !sameAt) {
      this.setStatus({ hostAddress, hostPin, hostAt });
    }
  }

  /** The link dropped. Here: parties on a local host that is gone end ("host left"). */
  protected override linkLost(url: string | null, code: number): void {
    if (url === null || url === this.homeUrl) return;
    // Silent: asleep (said so) or gone (silent-host.ts), waited for accordingly.
    const asleep = code === CLOSE_SILENT && this.myHostAsleepAt(url);
    const patienceMs = silentPatienceMs(code, asleep, this.serverIntervals ?? this.config);
    void this.recoverLocal(url, patienceMs, asleep).catch((error: unknown) =>
      this.logger.warn(`Local host ${url}: ${String(error)}`),
    );
  }

  /**
   * A local host's link dropped: while its instance still lists the party (restarting, maybe
   * on another port, or not yet reaped after a crash), try again for a few seconds; a party
   * whose host is no longer listed, or stays unreachable, is over, as when a host quits.
   * A host that went silent is waited for `patienceMs` first, listed or not (an asleep one
   * stops answering the LAN too), shown as away (`asleep`: it said its PC went to sleep),
   * until its machine refuses us: then LANrage is gone there. Not reached by then, a host
   * that did not say so ends its parties as silent (CloseReason.HOST_SILENT).
   */
  protected async recoverLocal(url: string, patienceMs = 0, asleep = false): Promise<void> {
    if (patienceMs > 0) this.setStatus({ hostAway: true, hostAsleep: asleep });
    this.silentHost = patienceMs > 0 && !asleep;
    try {
      const homes = await this.reachAgain(url, this.clock.now() + patienceMs);
      for (const [partyId, home] of [...this.localHomes]) {
        if (!homes.includes(home)) continue;
        this.localHomes.delete(partyId);
        this.hostGone(partyId);
      }
    } finally {
      const back = { hostAway: false, hostAsleep: false, noNetwork: false };
      if (this.status().hostAway === true) this.setStatus(back);
    }
  }

  /** Links to where `url`'s parties are now; returns the homes still not reached. */
  private async reachAgain(url: string, waitUntil: number): Promise<string[]> {
    const waiting = (): boolean => this.clock.now() < waitUntil;
    let homes = [url];
    const failed = new Set<string>();
    // Told after the next look at the announcements, not as it fails: see tellBlockedTls.
    const blocked = new Set<string>();
    // A host waited for is tried until the wait ends, not LOCAL_RETRIES more times after it
    // (each try at a silent host takes up to the connect timeout): its parties end then.
    let patient = waiting();
    for (let attempt = 0; (!patient && attempt < LOCAL_RETRIES) || waiting(); attempt++) {
      if (this.isClosed || this.linkUp) return [];
      homes = await this.relocate(homes, waiting(), failed);
      if (homes.length === 0) return [];
      await this.tellBlockedTls(blocked);
      try {
        await this.connectTo(homes[0]!);
        this.linkedToHost(homes[0]!);
        return [];
      } catch (error) {
        this.logger.info(`Local host unreachable (${String(error)}); retrying`);
        failed.add(homes[0]!);
        if (this.blockedTls(homes[0]!, error)) blocked.add(homes[0]!);
        // Refused: LANrage is gone there, not silent (it may come back on another port).
        if (wasRefused(error)) [waitUntil, patient, this.silentHost] = [0, false, false];
        // Said while waiting: "its PC may be asleep" sent a gamer whose own Wi-Fi had
        // dropped to check the host's PC.
        const noNetwork = hadNoNetwork(error);
        if (waiting() && this.status().noNetwork !== noNetwork) this.setStatus({ noNetwork });
        const pause = waiting() ? SILENT_RETRY_MS : LOCAL_RETRY_MS;
        await new Promise<void>((resolve) => this.clock.setTimeout(resolve, pause));
      }
    }
    await this.tellBlockedTls(blocked);
    return homes;
  }

  /**
   * Where the parties served from `urls` are now (a place that `failed` last among those
   * announcing one); those no longer listed end (or wait).
   */
  private async relocate(
    urls: readonly string[],
    waiting: boolean,
    failed: ReadonlySet<string>,
  ): Promise<string[]> {
    const found = new Set<string>();
    for (const [partyId, home] of [...this.localHomes]) {
      if (!urls.includes(home)) continue;
      const hosts = await this.trustedHosts(partyId);
      const host = hosts && (hosts.find((h) => !failed.has(h.controlUrl)) ?? hosts[0] ?? null);
      if (host) {
        this.localHomes.set(partyId, host.controlUrl);
        found.add(host.controlUrl);
      } else if (host === undefined || waiting) {
        // Announced by a PC that is not its host: where its host was is tried again.
        found.add(home);
      } else {
        this.localHomes.delete(partyId);
        this.hostGone(partyId);
      }
    }
    return [...found];
  }

  /**
   * What happens to a party whose local host is gone: it ends, as the host left, and a join
   * waiting for that host's answer ends with it (it would wait on with no link to the host).
   * Why it ends: goneReason.
   */
  protected hostGone(partyId: string): void {
    this.hostPins.forget(partyId);
    this.atSource.drop(partyId);
    closeParty(this.pushTarget, partyId, this.goneReason(partyId));
    this.clientAccess.pending.refuse(partyId, RefusalCode.PARTY_ENDED);
  }

  /** Our embedded server, started if needed. */
  protected async hostHere(): Promise<EmbeddedServer> {
    const server = await this.hosting.host();
    this.sessionKeys.set(server.url, this.hosting.sessionKey);
    return server;
  }

  /**
   * Our embedded server, holding the parties we host among `partyIds` again (from our own
   * state: in process, see EmbeddedServer.restore), owned by our session with it. The link
   * to it then finds them there, whatever their ids.
   */
  protected async hostAgain(
    partyIds: readonly string[],
    keepMembers = false,
  ): Promise<EmbeddedServer> {
    const server = await this.hostHere();
    const session = await this.sessionFor(server.url);
    // Our key gets our host ids back without the session file, as it would over the wire;
    // not in a copied folder, whose parties stay with the instance it was copied from.
    const key = session.heldElsewhere ? null : (this.options.identity?.publicKey ?? null);
    for (const partyId of partyIds) {
      const party = this.parties.get(partyId);
      if (!party || party.hostId !== this.myPeerId) continue;
      const heard = new Date(this.status().lastHeartbeatAt ?? this.clock.now());
      const presence = this.presenceOf(partyId);
      const kept = keepMembers ? seenWhenLastHeard(party, presence, heard) : party;
      const token = server.restore(kept, { token: session.token, key }, keepMembers);
      if (token !== null) await session.adopt(token);
      else if (!server.holds(partyId)) {
        this.logger.warn(`Could not host ${partyId} again: its host is not this app's`);
      }
      this.localHomes.set(partyId, server.url);
    }
    return server;
  }

  /** Where a party hosted on this machine or LAN is served, best first (none: nowhere). */
  protected override async locateHosts(partyId: string, pin?: string): Promise<DiscoveredHost[]> {
    const found = await this.hosting.locateAll(partyId, pin);
    // Several announce the pin: those not showing its certificate are not tried first.
    const hosts = pin === undefined ? found : await byPinProbe(found);
    for (const host of hosts)
      this.sessionKeys.set(host.controlUrl, sessionKeyOf(host.hostInstance));
    return hosts;
  }

  /**
   * A party not heard yet, asked for on the LAN and waited for a few seconds (look-for.ts),
   * and at the addresses its invite link names (`at`, only beside its pin): host-at.ts.
   */
  private lookAround(
    partyId: string,
    hostPin?: string,
    at?: readonly string[],
  ): Promise<DiscoveredHost[]> {
    const probes =
      hostPin && at?.length ? new AtProbes(at.map((a) => hostAt(partyId, a, hostPin))) : null;
    const look = {
      clock: this.clock,
      ask: () => this.hosting.askNetwork(),
      locate: () => this.locateHosts(partyId, hostPin),
      watch: (listener: () => void) => this.hosting.watchSources(listener),
    };
    return lookForAt(look, probes, partyId, (shown) => this.atHosts(partyId, shown));
  }

  /** `hosts` (showing the link's pin) kept where their party is found from now on. */
  private atHosts(partyId: string, hosts: readonly DiscoveredHost[]): DiscoveredHost[] {
    if (hosts[0]) this.atSource.keep(partyId, hosts[0]);
    for (const host of hosts)
      this.sessionKeys.set(host.controlUrl, sessionKeyOf(host.hostInstance));
    return [...hosts];
  }

  /** Hosts on the embedded server: starts it if needed and links to it. */
  protected async registerLocally(
    partyId: string,
    name: string,
    host: PeerInfo,
    settings?: NewPartySettings,
  ): Promise<PartyInfo> {
    // Party ids are random; one already offered here is someone else's.
    if (await this.hosting.locate(partyId)) {
      throw new ControlPlaneError(`Party ${partyId} already exists`, { code: 'conflict' });
    }
    // Not stopped for being empty until the party is on it (or failed to get there).
    return this.hosting.using(async () => {
      const server = await this.hostHere();
      await this.connectTo(server.url);
      this.localHomes.set(partyId, server.url);
      const wanted = settings ? { settings: newSettingsToDict(settings) } : {};
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
    });
  }

  /** Joins a party hosted on this machine, as a client of its host's server. */
  protected async joinLocally(
    partyId: string,
    peerInfo: PeerInfo,
    credentials: JoinCredentials = {},
  ): Promise<PartyInfo> {
    const { hostPin, hostAt: at } = credentials;
    let hosts = await this.locateHosts(partyId, hostPin);
    if (hosts.length === 0) hosts = await this.lookAround(partyId, hostPin, at);
    if (hosts.length === 0)
      throw new ControlPlaneError('Party not found', { code: 'not_found', field: partyId });
    const check = (host: DiscoveredHost) =>
      hostPin === undefined || this.pinFromInvite(partyId, host, hostPin);
    const failed = (error: unknown): never => {
      this.atSource.drop(partyId, false);
      this.forget(partyId);
      throw error;
    };
    await this.linkFirst(partyId, hosts, check).catch(failed);
    this.atSource.taken(partyId, this.linkUrl);
    const message = this.joinMessage(partyId, peerInfo, credentials);
    return this.enter(message, peerInfo.peerId).catch(failed);
  }

  protected override forget(partyId: string): void {
    super.forget(partyId);
    this.atSource.drop(partyId);
  }

  protected override savedHostAt(): ReadonlyMap<string, readonly string[]> {
    return this.atSource.kept;
  }

  /** A party we are still in, joined at an address, is looked for there again (its pin kept). */
  protected override restoreHostAt(at: ReadonlyMap<string, readonly string[]>): void {
    this.atSource.restore(at, this.hostPins.kept, this.activePartyIds);
  }

  /** Closes the link first (so our own hosted parties stay ours), then stops hosting. */
  override async close(): Promise<void> {
    this.cutOff.stop();
    this.atWatch.close();
    await super.close();
    await this.hosting.close(this.myPeerId);
  }
}
