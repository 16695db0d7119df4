/**
 * The base control plane: the spec's party operations on parties held in memory, persisted
 * to control_state.json and swept of silent peers (the plane state, plane-state.ts). Party
 * semantics come only from shared/party/transitions; each operation applies one transition
 * through the state's commit. LocalControlPlane and RemoteControlPlane extend it.
 */
import type { PartySummaryDict } from '../../shared/access/protocol';
import { ControlPlaneError } from '../../shared/errors';
import { partySummary } from '../../shared/party/summary';
import type { PartyInfo, PeerInfo } from '../../shared/model';
import * as transitions from '../../shared/party/transitions';
import { successorOrder } from '../../shared/party/successors';
import { NO_RELAY, type RelayGrant } from '../../shared/relay';
import { MAX_PEERS_PER_PARTY, type NewPartySettings } from '../../shared/party/settings';
import { PlaneState } from './plane-state';
import type { ControlPlaneApi, JoinCredentials, PartyAccess } from './types';

export class ControlPlane extends PlaneState implements ControlPlaneApi {
  async registerParty(
    partyId: string,
    name: string,
    hostPeerInfo: PeerInfo,
    settings?: NewPartySettings,
  ): Promise<PartyInfo> {
    if (this.parties.has(partyId)) {
      throw new ControlPlaneError(`Party ${partyId} already exists`, { code: 'conflict' });
    }
    const t = transitions.createParty(partyId, name, hostPeerInfo, this.nowDate(), settings);
    this.commit(partyId, t, { joinedAs: hostPeerInfo.peerId });
    return Promise.resolve(t.party!);
  }

  /** Local mode has no server to enforce access rules (issue 11 brings one). */
  get access(): PartyAccess | null {
    return null;
  }

  /** Local mode: nobody checks credentials, so they are not needed. */
  async joinParty(
    partyId: string,
    peerInfo: PeerInfo,
    _credentials?: JoinCredentials,
  ): Promise<PartyInfo> {
    const t = transitions.joinParty(this.requireParty(partyId), peerInfo, this.nowDate(), {
      maxPeers: MAX_PEERS_PER_PARTY,
    });
    this.commit(partyId, t, { joinedAs: peerInfo.peerId });
    return Promise.resolve(t.party!);
  }

  /** Leaving a party that is unknown, or one the peer is not in, changes nothing. */
  async leaveParty(partyId: string, peerId: string): Promise<void> {
    const party = this.parties.get(partyId);
    if (party) this.commit(partyId, transitions.leaveParty(party, peerId, this.successors(party)));
    if (peerId === this.myPeerId && partyId === this.myPartyId) this.myPartyId = null;
    return Promise.resolve();
  }

  async transferHost(partyId: string, toPeerId: string): Promise<void> {
    const party = this.requireParty(partyId);
    this.commit(partyId, transitions.transferHost(party, this.myPeerId ?? '', toPeerId));
    return Promise.resolve();
  }

  async closeParty(partyId: string): Promise<void> {
    const party = this.requireParty(partyId);
    this.commit(partyId, transitions.closeParty(party, this.myPeerId ?? ''));
    return Promise.resolve();
  }

  /** Signals go through a control server (server-client-plane.ts); this plane has none. */
  async sendSignal(_partyId: string, _toPeerId: string, _signalData: unknown): Promise<void> {
    return Promise.reject(
      new ControlPlaneError('Voice chat needs a control server or a hosted party.', {
        code: 'unavailable',
      }),
    );
  }

  /** Relays are a control server's (server-client-plane.ts); this plane has none. */
  async getRelay(_partyId: string): Promise<RelayGrant> {
    return Promise.resolve(NO_RELAY);
  }

  /** Nothing waits for a host here (server-link.ts has the joins that do). */
  stopWaiting(): void {}

  /** The online members of a party, longest present (first joined) first. */
  protected successors(party: PartyInfo): string[] {
    const presence = this.presenceOf(party.partyId);
    return successorOrder(party.peers.keys(), (id) => presence.get(id)?.status);
  }

  async updatePeer(partyId: string, peerInfo: PeerInfo): Promise<void> {
    const party = this.requireParty(partyId);
    this.commit(partyId, transitions.updatePeer(party, peerInfo, this.nowDate()));
    return Promise.resolve();
  }

  async getParty(partyId: string): Promise<PartyInfo | null> {
    return Promise.resolve(this.parties.get(partyId) ?? null);
  }

  async getPeers(partyId: string): Promise<Map<string, PeerInfo>> {
    return Promise.resolve(new Map(this.parties.get(partyId)?.peers ?? []));
  }

  async discoverPeer(partyId: string, peerId: string): Promise<PeerInfo | null> {
    return Promise.resolve(this.parties.get(partyId)?.peers.get(peerId) ?? null);
  }

  async heartbeat(partyId: string, peerId: string): Promise<void> {
    const party = this.requireParty(partyId);
    this.commit(partyId, transitions.heartbeat(party, peerId, this.nowDate()));
    if (peerId === this.myPeerId) this.setStatus({ lastHeartbeatAt: this.clock.now() });
    return Promise.resolve();
  }

  /** The base knows only its own parties; LocalControlPlane reads discovery.json. */
  async discoverParties(): Promise<Map<string, PartyInfo>> {
    return Promise.resolve(new Map(this.parties));
  }

  async previewParty(partyId: string, _pin?: string): Promise<PartySummaryDict | null> {
    const party = (await this.discoverParties()).get(partyId);
    return party ? partySummary(party) : null;
  }

  /**
   * Removes peers silent longer than peerTimeout, and the parties that leaves empty or hostless.
   */
  protected async cleanup(): Promise<void> {
    const now = this.nowDate();
    for (const [id, party] of [...this.parties]) {
      const t = transitions.sweepParty(party, now, this.config.peerTimeoutMs);
      if (t.party !== party) this.commit(id, t);
    }
    return Promise.resolve();
  }

  /** What the heartbeat timer runs: a beat for our own peer in our own party, if any. */
  protected async automaticHeartbeat(): Promise<void> {
    const { myPartyId, myPeerId } = this;
    if (myPartyId === null || myPeerId === null) return;
    if (!this.parties.get(myPartyId)?.peers.has(myPeerId)) return;
    await this.heartbeat(myPartyId, myPeerId);
  }
}
