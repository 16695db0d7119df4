/**
 * The app's mirror of its parties: what the server last told (plane-state.ts holds it,
 * persists it to control_state.json and runs the timers), and the reads the app makes of it.
 * It runs no party rule: the server is the one party engine. Every operation is a request to
 * a server, so each is abstract here; ServerClientPlane (client/server-client-plane.ts) sends
 * them, to the configured server (RemoteControlPlane) or the embedded one (LocalControlPlane).
 */
import type { PartySummaryDict } from '../../shared/access/protocol';
import { partySummary } from '../../shared/party/summary';
import type { PartyInfo, PeerInfo } from '../../shared/model';
import type { RelayGrant } from '../../shared/protocol/relay';
import type { NewPartySettings } from '../../shared/party/settings';
import { PlaneState } from './plane-state';
import type { ControlPlaneApi, JoinCredentials, PartyAccess } from './types';

export abstract class ControlPlane extends PlaneState implements ControlPlaneApi {
  abstract registerParty(
    partyId: string,
    name: string,
    hostPeerInfo: PeerInfo,
    settings?: NewPartySettings,
  ): Promise<PartyInfo>;

  abstract get access(): PartyAccess | null;

  abstract joinParty(
    partyId: string,
    peerInfo: PeerInfo,
    credentials?: JoinCredentials,
  ): Promise<PartyInfo>;

  abstract leaveParty(partyId: string, peerId: string): Promise<void>;

  abstract transferHost(partyId: string, toPeerId: string): Promise<void>;

  abstract closeParty(partyId: string): Promise<void>;

  abstract sendSignal(partyId: string, toPeerId: string, signalData: unknown): Promise<void>;

  abstract getRelay(partyId: string): Promise<RelayGrant>;

  abstract stopWaiting(): void;

  abstract updatePeer(partyId: string, peerInfo: PeerInfo): Promise<void>;

  abstract heartbeat(partyId: string, peerId: string): Promise<void>;

  async getParty(partyId: string): Promise<PartyInfo | null> {
    return Promise.resolve(this.parties.get(partyId) ?? null);
  }

  async getPeers(partyId: string): Promise<Map<string, PeerInfo>> {
    return Promise.resolve(new Map(this.parties.get(partyId)?.peers ?? []));
  }

  async discoverPeer(partyId: string, peerId: string): Promise<PeerInfo | null> {
    return Promise.resolve(this.parties.get(partyId)?.peers.get(peerId) ?? null);
  }

  /** The parties this mirror holds; LocalControlPlane lists discovery's instead. */
  async discoverParties(): Promise<Map<string, PartyInfo>> {
    return Promise.resolve(new Map(this.parties));
  }

  async previewParty(partyId: string, _pin?: string): Promise<PartySummaryDict | null> {
    const party = (await this.discoverParties()).get(partyId);
    return party ? partySummary(party) : null;
  }

  /** What the heartbeat timer runs: a beat for our own peer in our own party, if any. */
  protected async automaticHeartbeat(): Promise<void> {
    const { myPartyId, myPeerId } = this;
    if (myPartyId === null || myPeerId === null) return;
    if (!this.parties.get(myPartyId)?.peers.has(myPeerId)) return;
    await this.heartbeat(myPartyId, myPeerId);
  }
}
