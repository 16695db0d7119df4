/**
 * The PeerLink over a browser's RTCPeerConnection that voice's and screen sharing's links
 * extend (they add what they send and receive). Thin on purpose: the rules are the state
 * machines', tested there; this needs a browser's WebRTC, which unit tests lack.
 */
import { CONNECT_DEADLINE_MS } from './peer-link';
import type { IceCandidate, LinkState, PeerLink, PeerLinkHandlers, SdpType } from './peer-link';
import { StatsPoller, type StatsWatch } from './stats-poller';

/**
 * Without a relay: no STUN server, so calls and screens go straight between the two PCs, on
 * their LAN or through LANrage's tunnel, where each already reaches the other by its own
 * addresses, and no third party learns anyone's address.
 */
export const DIRECT_ONLY: RTCConfiguration = { iceServers: [] };

/** `disconnected` often comes back by itself, so it reads as connecting, not failed. */
const LINK_STATE: Partial<Record<RTCPeerConnectionState, LinkState>> = {
  new: 'connecting',
  connecting: 'connecting',
  disconnected: 'connecting',
  connected: 'connected',
  failed: 'failed',
};

/** A link not connected by CONNECT_DEADLINE_MS (peer-link.ts) after it was made reports failed. */
export class RtcPeer implements PeerLink {
  protected readonly pc: RTCPeerConnection;
  protected closed = false;
  private deadline: ReturnType<typeof setTimeout> | null = null;
  private readonly stats: StatsPoller<RTCStatsReport> | null;

  /**
   * `config`: the party server's relays, if any (rtc/relay-config.ts); else DIRECT_ONLY.
   * `watch`: what to read from the link's stats while it is connected, and how often.
   */
  constructor(
    private readonly handlers: PeerLinkHandlers,
    config: RTCConfiguration,
    watch?: StatsWatch<RTCStatsReport>,
  ) {
    this.pc = new RTCPeerConnection(config);
    this.stats = watch ? new StatsPoller(() => this.pc.getStats(), watch) : null;
    this.pc.onicecandidate = ({ candidate }) => {
      // null: gathering is over, which the other side need not be told.
      if (candidate === null || this.closed) return;
      this.handlers.onIceCandidate({
        candidate: candidate.candidate,
        sdp_mid: candidate.sdpMid,
        sdp_m_line_index: candidate.sdpMLineIndex,
      });
    };
    this.pc.onconnectionstatechange = () => {
      if (this.pc.connectionState === 'connected') this.clearDeadline();
      if (!this.closed) this.stateChanged(this.pc.connectionState);
    };
    this.deadline = setTimeout(() => {
      this.deadline = null;
      if (!this.closed && this.pc.connectionState !== 'connected') this.handlers.onState('failed');
    }, CONNECT_DEADLINE_MS);
  }

  private clearDeadline(): void {
    if (this.deadline !== null) clearTimeout(this.deadline);
    this.deadline = null;
  }

  async createOffer(): Promise<string> {
    return sdpOf(await this.pc.createOffer());
  }

  async createAnswer(): Promise<string> {
    return sdpOf(await this.pc.createAnswer());
  }

  setLocalDescription(type: SdpType, sdp: string): Promise<void> {
    return this.pc.setLocalDescription({ type, sdp });
  }

  setRemoteDescription(type: SdpType, sdp: string): Promise<void> {
    return this.pc.setRemoteDescription({ type, sdp });
  }

  addIceCandidate(c: IceCandidate): Promise<void> {
    return this.pc.addIceCandidate({
      candidate: c.candidate,
      sdpMid: c.sdp_mid,
      sdpMLineIndex: c.sdp_m_line_index,
    });
  }

  close(): void {
    this.closed = true;
    this.clearDeadline();
    this.stats?.stop();
    this.pc.ontrack = null;
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  /** The connection's state changed (not after close); subclasses add to it. */
  protected stateChanged(state: RTCPeerConnectionState): void {
    if (state === 'connected') this.stats?.start();
    else this.stats?.stop();
    const mapped = LINK_STATE[state];
    if (mapped) this.handlers.onState(mapped);
  }
}

function sdpOf(description: RTCSessionDescriptionInit): string {
  if (!description.sdp) throw new Error('WebRTC made a session description without SDP');
  return description.sdp;
}
