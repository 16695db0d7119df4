/**
 * The one client engine: every party lives on a control server and this class is a client
 * of it. The server is the configured one (RemoteControlPlane) or, without one or while it
 * is out of reach, the embedded server of the instance that hosts the party (local mode:
 * hosting-plane.ts). Requests go over one link at a time (server-link.ts); each party has a
 * home server, and a (re)connected link resynchronises only the parties it serves.
 */
import type { PartySummaryDict } from '../../../shared/access/protocol';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { PeerInfo, type PartyInfo } from '../../../shared/model';
import { withDefaults, type NewPartySettings } from '../../../shared/party/settings';
import * as transitions from '../../../shared/party/transitions';
import { CloseReason, LeaveReason, type PartyEvent } from '../../../shared/party/events';
import type { ClientAccess, EnterMessage } from './access/client-access';
import { partyAnswer } from './sync/answers';
import { closeParty, peerUpdated } from './sync/push';
import { isNotFound } from './sync/resync';
import { ServerLink } from './link/server-link';
import { askRelay } from './relay/relay';
import { relaysFrom } from './relay/relay-scope';
import type { RelayGrant } from '../../../shared/protocol/relay';
import { serverName } from '../../../shared/values/server-url';
import type { JoinCredentials } from '../types';

export abstract class ServerClientPlane extends ServerLink {
  /** Access control goes through the linked server; null while there is none. */
  override get access(): ClientAccess['desk'] | null {
    return this.linkUp ? this.clientAccess.desk : null;
  }

  /**
   * Registers or joins through the server. Pushes for the party that come before its answer
   * is applied are held, then applied in order (early-pushes.ts).
   */
  protected async enter(
    message: EnterMessage,
    peerId: string,
    settings?: NewPartySettings,
  ): Promise<PartyInfo> {
    const partyId = message.party_id;
    this.sync.early.expect(partyId);
    try {
      return await this.enterNow(message, peerId, settings);
    } finally {
      this.sync.entered(partyId);
    }
  }

  /**
   * The answer must be that party, with us in it. Its presence is taken too. A 1.2 server's
   * party dict has its settings; an older one's has none, so ours are kept for a re-register
   * to ask for the same.
   */
  private async enterNow(
    message: EnterMessage,
    peerId: string,
    settings?: NewPartySettings,
  ): Promise<PartyInfo> {
    const partyId = message.party_id;
    const answer = await this.clientAccess.settle(
      await this.requireServer()(message),
      message,
      // The host decides: the answer comes as a push (pending.ts).
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
    this.ownProfile = PeerInfo.fromDict(
      message.type === 'join_party' ? message.peer : message.host_peer,
    );
    const events: PartyEvent[] = [{ type: 'party_created', party }];
    this.commit(party.partyId, { party, events }, { joinedAs: peerId, untold: true });
    // Told (the UI shows it joined) only once control_state.json holds it: the save waited
    // 100 ms, and an app killed meanwhile came back outside the party while its host listed
    // it for minutes. Pushes meanwhile are held (enter), so this is still the latest.
    await this.flush();
    this.emitChange({ kind: 'party', partyId: party.partyId, party, events });
    void this.tellPing(party.partyId, peerId);
    return party;
  }

  /**
   * The others see our ping at once, not one or two heartbeat intervals after we arrive: a
   * beat now tells the round trip we know, and a first one only measures it, so then one
   * more tells it. A failure is only logged; the timer's beats follow anyway.
   */
  protected async tellPing(partyId: string, peerId: string): Promise<void> {
    try {
      if (this.status().lastHeartbeatRttMs === null) await this.heartbeat(partyId, peerId);
      await this.heartbeat(partyId, peerId);
    } catch (error) {
      this.logger.warn(`First heartbeat in ${partyId} failed: ${String(error)}`);
    }
  }

  /**
   * Relinked and in step: beat at once, as on join. The server's copy of our row dates from
   * before the outage, so until a beat was acknowledged our own table showed everyone as
   * "status unknown" under "Connected", up to an interval after the others saw us back.
   */
  protected override resynced(served: (partyId: string) => boolean): void {
    const { myPartyId, myPeerId } = this;
    if (myPartyId === null || myPeerId === null || !served(myPartyId)) return;
    if (this.parties.get(myPartyId)?.peers.has(myPeerId)) void this.tellPing(myPartyId, myPeerId);
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
  protected linkedSummary(partyId: string, invite?: string): Promise<PartySummaryDict | null> {
    return this.clientAccess.desk.summary(partyId, invite);
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
    closeParty(this.pushTarget, partyId, CloseReason.CLOSED_BY_HOST);
    this.forget(partyId);
  }

  /**
   * Leaving always works: without the server we leave here and tell it once it is back; a
   * server that no longer has the party (or us in it) means we are out already. Who hosts
   * after us is the server's to decide (it tells the members, not us): the party is only
   * forgotten here, with no successor picked.
   */
  override async leaveParty(partyId: string, peerId: string): Promise<void> {
    await this.sync.leave(this.requester(partyId), partyId, peerId);
    if (peerId !== this.myPeerId) return;
    if (this.parties.get(partyId)?.peers.has(peerId)) {
      const left: PartyEvent = { type: 'peer_left', partyId, peerId, reason: LeaveReason.LEFT };
      this.commit(partyId, { party: null, events: [left] });
    }
    this.forget(partyId);
  }

  /**
   * The server makes the change and tells everyone but us, so no rule runs here: our row
   * takes the profile as sent (last seen as the server dated it), except a name, which the
   * server gives a suffix when another member shows it: then its copy is asked for. Without
   * the server the row shows the profile as given; the resync after reconnecting sends it.
   */
  override async updatePeer(partyId: string, peerInfo: PeerInfo): Promise<void> {
    if (peerInfo.peerId === this.myPeerId) this.ownProfile = peerInfo;
    const request = this.requester(partyId);
    if (request) {
      await request({ type: 'update_peer', party_id: partyId, peer: peerInfo.toDict() });
    }
    const party = this.requireParty(partyId);
    const known = party.peers.get(peerInfo.peerId);
    if (!known) {
      const message = `Peer ${peerInfo.peerId} is not in party ${partyId}`;
      throw new ControlPlaneError(message, { code: 'not_found' });
    }
    if (request && known.name !== peerInfo.name) {
      return this.sync.refresh(request, partyId, peerInfo.peerId);
    }
    peerUpdated(this.pushTarget, party, peerInfo.with({ lastSeen: known.lastSeen }));
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
    if (answer.type === 'heartbeat_ack') {
      this.serverClock.observe(answer.server_time, sentAt, now);
      if (party?.peers.has(peerId)) {
        this.commit(partyId, transitions.heartbeat(party, peerId, new Date(answer.server_time)));
      }
    }
    this.setStatus({ lastHeartbeatAt: now, lastHeartbeatRttMs: now - sentAt });
    this.showServerClock();
  }

  /**
   * I am going to sleep (1.12): told on the link to my party's server; an older one refuses.
   * False when there was nobody to tell (no party, no link).
   */
  async goingToSleep(): Promise<boolean> {
    const { myPartyId, myPeerId } = this;
    const request = myPartyId === null ? null : this.requester(myPartyId);
    if (!request || myPartyId === null || myPeerId === null) return false;
    await request({ type: 'going_to_sleep', party_id: myPartyId, peer_id: myPeerId });
    return true;
  }

  /** Sends signalling data to another peer of the party through the server. */
  override async sendSignal(partyId: string, toPeerId: string, signalData: unknown): Promise<void> {
    if (!this.myPeerId) throw new ControlPlaneError('Join a party first', { code: 'not_found' });
    await this.requireServer(partyId)({
      type: 'signal',
      party_id: partyId,
      from_peer_id: this.myPeerId,
      to_peer_id: toPeerId,
      signal_data: signalData as never,
    });
  }

  /** The server's relays, less those it may not send this PC to (relay-scope.ts). */
  override async getRelay(partyId: string): Promise<RelayGrant> {
    const address = this.ws?.remoteAddress;
    const asked = await askRelay(this.requireServer(partyId), partyId);
    const { grant, refused } = relaysFrom(asked, address);
    if (refused.length > 0) {
      const from = `${serverName(this.linkUrl)} (${address ?? 'address unknown'})`;
      this.logger.warn(`Ignored relays ${refused.join(', ')}: too near this PC for ${from}`);
    }
    return grant;
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
}
