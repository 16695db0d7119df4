/**
 * Local mode: no control server is configured. The instance that hosts a party runs the
 * control server embedded in the app (electron/core/hosting/) and is its first client; the
 * other instances on this machine find it in discovery.json and join it as clients of that
 * server, exactly as they would a remote one. A party we host is hosted again on restart;
 * one whose host is gone ends ("host left").
 */
import type { PartySummaryDict } from '../../../shared/access/protocol';
import type { PartyInfo, PeerInfo } from '../../../shared/model';
import type { NewPartySettings } from '../../../shared/party/settings';
import type { Config } from '../config/config';
import type { RemoteControlPlaneOptions } from '../client/options';
import { HostingPlane } from '../hosting/hosting-plane';
import { CloseReason } from '../../../shared/party/events';
import { closeParty } from '../client/sync/push';
import { NOT_HOSTED_AGAIN_WORDS } from '../notifications/party-activity';
import type { JoinCredentials } from '../types';

export type LocalControlPlaneOptions = RemoteControlPlaneOptions;

export class LocalControlPlane extends HostingPlane {
  private stopWatching: (() => void) | null = null;
  private relinking: Promise<void> | null = null;

  constructor(config: Config, options: LocalControlPlaneOptions = {}) {
    super(config, options);
  }

  /**
   * Loads state (the spec's file as it is), hosts again the parties we host, and links to
   * the host of a party we joined once it is listed in discovery.json.
   */
  override async initialize(): Promise<void> {
    await super.initialize();
    await this.relink();
    if (this.isClosed) return;
    this.stopWatching = this.hosting.watch(() => void this.relink());
  }

  override registerParty(
    partyId: string,
    name: string,
    hostPeerInfo: PeerInfo,
    settings?: NewPartySettings,
  ): Promise<PartyInfo> {
    return this.registerLocally(partyId, name, hostPeerInfo, settings);
  }

  override joinParty(
    partyId: string,
    peerInfo: PeerInfo,
    credentials?: JoinCredentials,
  ): Promise<PartyInfo> {
    return this.joinLocally(partyId, peerInfo, credentials);
  }

  /** Every party hosted on this machine (the spec's discover_parties). */
  override discoverParties(): Promise<Map<string, PartyInfo>> {
    return this.hosting.discover();
  }

  /** discovery.json (this machine's own) lists the party; a stranger sees its summary. */
  override previewParty(partyId: string, pin?: string): Promise<PartySummaryDict | null> {
    return this.localSummary(partyId, pin);
  }

  /**
   * The spec's `_announce_party`: a party is announced in discovery.json by the server that
   * hosts it, whenever it changes; announcing means hosting it here.
   */
  async announceParty(party: PartyInfo): Promise<void> {
    await this.hosting.using(async () => {
      const server = await this.hostHere();
      if (server.hostedParties().some((p) => p.partyId === party.partyId)) return;
      const host = party.peers.get(party.hostId);
      if (host) await this.registerLocally(party.partyId, party.name, host, party.settings);
    });
  }

  override async close(): Promise<void> {
    this.stopWatching?.();
    this.stopWatching = null;
    await this.relinking?.catch(() => undefined);
    await super.close();
  }

  private relink(): Promise<void> {
    this.relinking ??= this.relinkOnce()
      .catch((error: unknown) =>
        this.logger.warn(`Could not reach a party's host: ${String(error)}`),
      )
      .finally(() => (this.relinking = null));
    return this.relinking;
  }

  /**
   * Our party could not be put back on our server (its host owned by another session: this
   * folder's id changed, or its server's file came from elsewhere): nobody serves it, so it
   * ends here, said in words. At start the UI is not listening yet: a notice tells it then.
   */
  private notHostedAgain(party: PartyInfo): void {
    this.logger.warn(`Party ${party.partyId} ends: it could not be hosted here again`);
    this.localHomes.delete(party.partyId);
    closeParty(this.pushTarget, party.partyId, CloseReason.NOT_HOSTED_AGAIN);
    this.options.report?.(`Your party ${party.name} ended: ${NOT_HOSTED_AGAIN_WORDS}.`);
  }

  /** Our party, if not linked yet: hosted here if ours, else at its host's address. */
  private async relinkOnce(): Promise<void> {
    const partyId = this.myPartyId ?? [...this.activePartyIds][0];
    const party = partyId ? this.parties.get(partyId) : undefined;
    if (!party || this.isClosed || (this.linkUp && this.homeOf(party.partyId) === this.linkUrl)) {
      return;
    }
    if (party.hostId === this.myPeerId) {
      const server = await this.hosting.using(() => this.hostAgain([party.partyId]));
      if (!server.holds(party.partyId)) return this.notHostedAgain(party);
      await this.connectTo(server.url);
      // Beat now: after a crash the server's copy of us is as old as its last write, and the
      // own row and the heartbeat dot would read unknown and late until the timer's beat.
      void this.tellPing(party.partyId, party.hostId);
      // Hosted again once the others can find it.
      return this.hosting.settled();
    }
    const hosts = await this.trustedHosts(party.partyId);
    if (!hosts?.length) return;
    await this.linkFirst(party.partyId, hosts);
    // A guest back after a restart beats now too, or its own row and heartbeat dot read
    // unknown and late until the timer's beat, while the host already shows it online.
    const me = this.myPeerId;
    if (me !== null && party.peers.has(me)) void this.tellPing(party.partyId, me);
  }
}
