/**
 * The public face of a control plane, implemented by LocalControlPlane and
 * RemoteControlPlane. The desktop shell, the headless entry and tests code against this.
 */
import type { JoinRequestDict, PartySummaryDict } from '../../shared/access/protocol';
import type { PartyInfo, PeerInfo } from '../../shared/model';
import type { NewPartySettings } from '../../shared/party/settings';
import type { PartyEvent } from '../../shared/party/events';
import type { PresenceDict } from '../../shared/presence';
import type { RelayGrant } from '../../shared/protocol/relay';
import type { RemoteAccess } from './client/access/access';
import type { ConnectionStatus } from '../../shared/status';
import type { DiscoveredHost } from './hosting/discovery-board';
import type { HostingLike } from './lan/bridge';

export type ControlPlaneChange =
  /** A party this control plane knows changed; `party` is null once it is gone. */
  | { kind: 'party'; partyId: string; party: PartyInfo | null; events: PartyEvent[] }
  /** Connection status changed (remote mode), or a heartbeat was acknowledged. */
  | { kind: 'status'; status: ConnectionStatus }
  /** A signalling message relayed from another peer (remote mode). */
  | { kind: 'signal'; partyId: string; fromPeerId: string; signalData: unknown }
  /** My join waits for the host's answer until `expiresAt` (epoch ms). */
  | { kind: 'join_pending'; partyId: string; expiresAt: number }
  /** As host: someone asks to join my party. */
  | { kind: 'join_request'; partyId: string; request: JoinRequestDict }
  /** As host: a request is no longer waiting (answered, cancelled, expired). */
  | { kind: 'join_request_closed'; partyId: string; peerId: string };

/** What a join may carry past a party's door (issue 10). */
export interface JoinCredentials {
  password?: string;
  /** An invite token (from a `?invite=` link). */
  invite?: string;
  /**
   * The certificate pin of the PC hosting a party without a server (a `?pin=` link): only a
   * host showing that certificate is joined, and never in plain.
   */
  hostPin?: string;
  /**
   * Where that host answers over TLS (a `?at=` link: `address:port`), dialled when the LAN
   * does not announce the party, and taken only when it shows `hostPin`'s certificate.
   */
  hostAt?: readonly string[];
  /**
   * Not a new join: where does the one we asked for earlier stand (protocol 1.4)? A restarted
   * app sends it for the join it was waiting on (join-resume.ts).
   */
  resume?: true;
}

/** What only a control server can do (issue 10); see client/access/access.ts. */
export type PartyAccess = RemoteAccess;

export type ControlPlaneListener = (change: ControlPlaneChange) => void;

export interface ControlPlaneApi {
  readonly parties: ReadonlyMap<string, PartyInfo>;
  myPeerId: string | null;
  /** My profile as the app last gave it; what a resync tells the server (plane-state.ts). */
  ownProfile: PeerInfo | null;
  myPartyId: string | null;
  readonly activePartyIds: ReadonlySet<string>;
  readonly stateFile: string;
  /** My party as this run loaded it from disk, before any server spoke (null: none). */
  readonly loadedParty: PartyInfo | null;

  initialize(): Promise<void>;
  registerParty(
    partyId: string,
    name: string,
    hostPeerInfo: PeerInfo,
    settings?: NewPartySettings,
  ): Promise<PartyInfo>;
  joinParty(partyId: string, peerInfo: PeerInfo, credentials?: JoinCredentials): Promise<PartyInfo>;
  /**
   * Settings, invites, kick and ban, approval, browsing: through the party's server (in
   * local mode the embedded server of its host). null while no server is reachable.
   */
  readonly access: PartyAccess | null;
  leaveParty(partyId: string, peerId: string): Promise<void>;
  updatePeer(partyId: string, peerInfo: PeerInfo): Promise<void>;
  getParty(partyId: string): Promise<PartyInfo | null>;
  getPeers(partyId: string): Promise<Map<string, PeerInfo>>;
  discoverPeer(partyId: string, peerId: string): Promise<PeerInfo | null>;
  heartbeat(partyId: string, peerId: string): Promise<void>;
  /**
   * This PC is going to sleep: my party's server is told (protocol 1.12), so the others see
   * me asleep, not gone. Nothing out of a party or without a link: false (nobody was told).
   * Absent: not told.
   */
  goingToSleep?(): Promise<boolean>;
  /**
   * What a stranger may see of a party before joining it (for an invite link): the
   * server's copy in remote mode, discovery's in local mode (with `pin`, the link's host
   * certificate: the place announcing it with that pin); null when unknown. Stores nothing.
   */
  previewParty(partyId: string, pin?: string, invite?: string): Promise<PartySummaryDict | null>;
  /** The host makes another member host. */
  transferHost(partyId: string, toPeerId: string): Promise<void>;
  /** The host ends the party for everyone. */
  closeParty(partyId: string): Promise<void>;
  /**
   * Relays opaque signalling data (voice chat's, shared/media/voice.ts) to another member of the
   * party through its control server. @throws unavailable without one
   */
  sendSignal(partyId: string, toPeerId: string, signalData: unknown): Promise<void>;
  /**
   * The party server's TURN relays for my calls (shared/protocol/relay.ts); none without a
   * server.
   */
  getRelay(partyId: string): Promise<RelayGrant>;
  /** Every member's presence as last known (kept up to date by `peer_status` events). */
  presenceOf(partyId: string): ReadonlyMap<string, PresenceDict>;
  /** Parties other local instances announced (local mode; remote mode returns its own). */
  discoverParties(): Promise<Map<string, PartyInfo>>;
  /**
   * Calls `listener` when what discoverParties() answers may have changed (local mode);
   * returns the unsubscribe function. Absent where there is nothing to follow.
   */
  watchNearby?(listener: () => void): () => void;
  /** Parties we were in, answering at the address their link named (hosting/at-watch.ts). */
  nearbyAt?(): DiscoveredHost[];
  /** The certificate pin of `partyId`'s LAN host, kept or last kept (hosting/host-pins.ts). */
  hostPinOf?(partyId: string): string | undefined;
  /** Hosting without a server (local mode and the offline fallback), for LAN discovery. */
  readonly hosting?: HostingLike;
  status(): ConnectionStatus;
  /** Returns the unsubscribe function. */
  subscribe(listener: ControlPlaneListener): () => void;
  /**
   * The app is closing: joins waiting for a host stop waiting here (failing `cancelled`)
   * without taking the request back, so a restarted app can ask where it stands.
   */
  stopWaiting(): void;
  /** Stops timers, closes connections and flushes state. */
  close(): Promise<void>;
}
