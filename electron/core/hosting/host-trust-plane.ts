/**
 * Where our parties without a server are hosted, and which hosts we trust: each party served
 * by a local host remembers its URL, and the certificate its LAN host showed us (trust on
 * first use), or the one an invite link named, is kept (host-pins.ts), saved with the state,
 * and held against later announcements and plain fallbacks.
 */
import type { PartySummaryDict } from '../../../shared/access/protocol';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { CloseReason } from '../../../shared/party/events';
import { partySummary } from '../../../shared/party/summary';
import type { DiscoveredHost } from './discovery-board';
import { HostPins, impostorNotice, keptEncryptedNotice, notTheInvitedHost } from './host-pins';
import { ServerClientPlane } from '../client/server-client-plane';
import type { ConnectionStatus } from '../../../shared/status';
import { isUnanswered, pinOf, plainFallbackOf, shownUrl } from '../client/link/pinned-tls';
import { wasRefused } from '../client/link/ws-client';
import { answersAt } from './lan-addresses';
import { hostSaidAsleep } from './silent-host';

export abstract class HostTrustPlane extends ServerClientPlane {
  /**
   * party id → the local host's URL serving it (parties not here live on the configured server).
   */
  protected readonly localHomes = new Map<string, string>();
  /** The recovery under way (hostGone runs in one) is from a host silent without a sleep. */
  protected silentHost = false;

  /**
   * Why a party whose local host is gone ends. Hosting it myself (handed to me), it was the
   * app serving it that went, not its host; its host silent (silentHost), it stopped answering
   * without saying its PC went to sleep; else the host left.
   */
  protected goneReason(partyId: string): CloseReason {
    if (this.parties.get(partyId)?.hostId === this.myPeerId) return CloseReason.SERVER_LEFT;
    return this.silentHost ? CloseReason.HOST_SILENT : CloseReason.HOST_LEFT;
  }

  /** Whether the host of my party, served at `url`, was last said to be asleep (silent-host.ts). */
  protected myHostAsleepAt(url: string): boolean {
    const partyId = this.myPartyId ?? '';
    const party = this.localHomes.get(partyId) === url ? this.parties.get(partyId) : undefined;
    return hostSaidAsleep(party, this.presenceOf(partyId));
  }

  /** The certificates our parties' LAN hosts showed us (trust on first use). */
  protected readonly hostPins = new HostPins(() => this.scheduleSave());
  readonly hostPinOf = (partyId: string): string | undefined => this.hostPins.lastOf(partyId);

  /**
   * While the link to my party's LAN host is down (the host away, relinking), the pin kept
   * for the party: a guest's Link lost its pin then, and a friend given that copy was tied
   * to whoever announced the party first. And where that host answered (joined at its
   * link's address, or announced there): without it, a friend on the same network blocking
   * mDNS got a link that could not work there.
   */
  override status(): ConnectionStatus {
    const status = super.status();
    if (status.hostPin !== undefined || this.myPartyId === null) return status;
    const hostPin = this.hostPins.kept.get(this.myPartyId);
    if (hostPin === undefined) return status;
    const home = this.localHomes.get(this.myPartyId);
    // The host whose pin the Link carries, over TLS (a plain home is this PC's, or no host's).
    const at = home && pinOf(home) === hostPin ? this.reachedAt(home) : undefined;
    return { ...status, hostPin, ...(at && { hostAt: at }) };
  }

  private reachedAt(home: string): string[] | undefined {
    return answersAt(home, undefined, undefined, this.options.addressRank);
  }

  protected override savedPins(): ReadonlyMap<string, string> {
    return this.hostPins.kept;
  }

  protected override restorePins(pins: ReadonlyMap<string, string>): void {
    this.hostPins.restore(pins, (partyId) => this.activePartyIds.has(partyId));
  }

  protected override forget(partyId: string): void {
    this.localHomes.delete(partyId);
    this.hostPins.forget(partyId);
  }

  /** Not for a host that served one of our parties over TLS (host-pins.ts). */
  protected override mayDialPlain(url: string): boolean {
    return !this.hostPins.keepsAnyAt(this.localHomes, url);
  }

  /** The link to `url` is up: its parties' host showed the certificate the URL names. */
  protected linkedToHost(url: string): void {
    if (this.linkUrl !== url || this.ws?.fellBackToPlain !== false) return;
    this.hostPins.linkedAt(this.localHomes, url);
  }

  /**
   * Whether `url`'s TLS port failed as a firewall may have made it: it did not answer (timed
   * out, unreachable), and its host's pin rules out plain. Not when refused: nothing listens
   * there, its host's LANrage closed or crashed ("The host left" says it all).
   */
  protected blockedTls(url: string, error: unknown): boolean {
    const cause = (error as { cause?: unknown } | null)?.cause;
    if (plainFallbackOf(url) === null || this.mayDialPlain(url)) return false;
    return isUnanswered(cause) && !wasRefused(error);
  }

  /**
   * Says so for the parties at the `blocked` hosts (then forgotten) that are still announced
   * there: a host no longer announced is gone, its party ends as the host left, and no
   * firewall is blamed.
   */
  protected async tellBlockedTls(blocked: Set<string>): Promise<void> {
    const urls = [...blocked];
    blocked.clear();
    for (const [partyId, home] of [...this.localHomes]) {
      if (!urls.includes(home)) continue;
      const hosts = await this.locateHosts(partyId, this.hostPins.kept.get(partyId));
      if (!hosts.some((host) => host.controlUrl === home)) continue;
      const name = this.parties.get(partyId)?.name ?? partyId;
      this.options.report?.(keptEncryptedNotice(name));
    }
  }

  /**
   * Where `partyId`'s host is announced (none: nowhere), unless the announcement shows another
   * certificate than its host showed us (undefined: not taken for its host).
   */
  protected async trustedHosts(partyId: string): Promise<DiscoveredHost[] | undefined> {
    const hosts = await this.locateHosts(partyId, this.hostPins.kept.get(partyId));
    // Those announcing the pin kept come first: a first one refused means all are.
    const first = hosts[0];
    if (!first || this.hostPins.trusts(partyId, first.controlUrl)) return hosts;
    const where = shownUrl(first.controlUrl);
    this.logger.warn(`${partyId} is announced at ${where} with another certificate: not its host`);
    // Told: someone on the LAN is pretending to host it, or its host's keys/ were reset.
    const name = this.parties.get(partyId)?.name ?? partyId;
    this.options.report?.(impostorNotice(name, new URL(where).hostname));
    return undefined;
  }

  /**
   * Links to the first of `hosts` (announcing `partyId`) that answers as itself, and returns
   * it: a stranger announcing the host's pin fails its handshake, and the next is tried.
   * `check` refuses a host before it is dialled; what the last one failed with is thrown.
   */
  protected async linkFirst(
    partyId: string,
    hosts: readonly DiscoveredHost[],
    check: (host: DiscoveredHost) => void = () => undefined,
  ): Promise<DiscoveredHost> {
    let failure: unknown = new ControlPlaneError('Party not found', { code: 'not_found' });
    for (const host of hosts) {
      try {
        check(host);
        this.localHomes.set(partyId, host.controlUrl);
        await this.connectTo(host.controlUrl);
        this.linkedToHost(host.controlUrl);
        return host;
      } catch (error) {
        failure = error;
        const where = shownUrl(host.controlUrl);
        this.logger.info(`${partyId} not served at ${where} (${String(error)})`);
      }
    }
    throw failure;
  }

  /**
   * The pin an invite link named is the host's: a PC announcing the party with another is
   * not joined, and the host is kept to it from the first link on (no plain fallback). A
   * host on this PC is reached over loopback, where no one else can stand in for it.
   */
  protected pinFromInvite(partyId: string, host: DiscoveredHost, pin: string): void {
    if (host.onThisPc) return;
    if (pinOf(host.controlUrl) !== pin) {
      const where = new URL(shownUrl(host.controlUrl)).hostname;
      throw new ControlPlaneError(notTheInvitedHost(where), { code: 'conflict', field: 'invite' });
    }
    this.localHomes.set(partyId, host.controlUrl);
    this.hostPins.linked(partyId, host.controlUrl);
  }

  /**
   * A party without a server as a stranger sees it, where it is announced; with `pin` (an
   * invite link's), as the place showing that certificate announces it, not a stranger
   * copying the pin into an announcement of its own (which may name the party otherwise).
   */
  protected async localSummary(partyId: string, pin?: string): Promise<PartySummaryDict | null> {
    // A host reached at a link's address (host-at.ts) announced nothing: none to show.
    const hosts = await this.locateHosts(partyId, pin);
    const host = hosts.find((place) => place.onThisPc || place.announced);
    // A LAN host's party holds no members here: its host's name (which the join dialog's
    // contract requires), its size and who may join are the announcement's. A host that
    // announced no policy leaves the default `open`: the summary's schema has no "unknown",
    // and the dialog reads it only to ask for a password up front, so `open` there costs
    // the joiner no more than before (the field appears after the host's refusal).
    return host ? { ...partySummary(host.party), ...host.announced } : null;
  }

  /** Where `partyId`'s host is announced, best first (hosting.ts, locateAll). */
  protected abstract locateHosts(partyId: string, pin?: string): Promise<DiscoveredHost[]>;
}
