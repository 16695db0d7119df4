/**
 * One WebRTC link as voice chat and screen sharing drive it: the offer, the answer and the
 * candidates their signals carry. Their state machines take links through this interface,
 * so their rules run in plain tests with doubles and in the app over RTCPeerConnection
 * (rtc-peer.ts).
 */

/**
 * A link not connected this long after it was made counts as failed, so the retries take over:
 * one with no path at all (relay-only before the relay was known, on either side) never fails
 * by itself, and read "connecting…" for good. WebRTC gives up on a path after about as long.
 * A viewer's screen is given as long for the sharer's offer (screen-watch.ts).
 */
export const CONNECT_DEADLINE_MS = 30_000;

/** A link's state as the panels say it. */
export type LinkState = 'connecting' | 'connected' | 'failed';

/** One ICE candidate, in the fields the `candidate` signals carry. */
export interface IceCandidate {
  candidate: string;
  sdp_mid: string | null;
  sdp_m_line_index: number | null;
}

export type SdpType = 'offer' | 'answer';

/** What every link tells its owner about itself. */
export interface PeerLinkHandlers {
  /** A local candidate for the other side. */
  onIceCandidate(candidate: IceCandidate): void;
  onState(state: LinkState): void;
}

/** One call to one other member (an RTCPeerConnection in the app). */
export interface PeerLink {
  /** The session description of a new offer (not yet set as local). */
  createOffer(): Promise<string>;
  createAnswer(): Promise<string>;
  setLocalDescription(type: SdpType, sdp: string): Promise<void>;
  setRemoteDescription(type: SdpType, sdp: string): Promise<void>;
  addIceCandidate(candidate: IceCandidate): Promise<void>;
  /** Hangs up: no handler is called after this. */
  close(): void;
}
