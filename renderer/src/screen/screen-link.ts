/**
 * Screen sharing over WebRTC: my screen (getDisplayMedia), the sharer's video-only link that
 * sends it to one viewer, and the viewer's link that receives it for a <video> element. Thin on
 * purpose: the rules (who offers, candidates that wait) are screen-share.ts's and tested there;
 * this needs a browser's WebRTC, which unit tests lack.
 */
import type { LanrageApi } from '../../../shared/ipc/contract';
import type {
  IceCandidate,
  PeerLink,
  ScreenCapture,
  ScreenDeps,
  ScreenLinkHandlers,
  ScreenLinkState,
  SdpType,
  ViewerLinkHandlers,
} from './screen-types';

/**
 * No STUN or TURN server: the screen goes straight between the two PCs, on their LAN or
 * through LANrage's tunnel, where each already reaches the other by its own addresses. So no
 * third party learns anyone's address, and none carries anyone's screen.
 */
const RTC_CONFIG: RTCConfiguration = { iceServers: [] };

/** `disconnected` often comes back by itself, so it reads as connecting, not failed. */
const LINK_STATE: Partial<Record<RTCPeerConnectionState, ScreenLinkState>> = {
  new: 'connecting',
  connecting: 'connecting',
  disconnected: 'connecting',
  connected: 'connected',
  failed: 'failed',
};

export class BrowserScreen implements ScreenCapture {
  constructor(readonly stream: MediaStream) {}

  onEnded(listener: () => void): void {
    // The browser's or the OS's own "Stop sharing" ends the track, not our button.
    const track = this.stream.getVideoTracks()[0];
    track?.addEventListener('ended', listener, { once: true });
  }

  stop(): void {
    for (const track of this.stream.getTracks()) track.stop();
  }
}

/** The user closing the picker: Chromium's NotAllowedError, unlike the OS refusing (…by system). */
function cancelledByUser(error: unknown): boolean {
  if (!(error instanceof DOMException)) return false;
  return error.name === 'NotAllowedError' && !/system/i.test(error.message);
}

export async function captureBrowserScreen(): Promise<BrowserScreen | null> {
  try {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    return new BrowserScreen(stream);
  } catch (error) {
    if (cancelledByUser(error)) return null;
    throw error;
  }
}

/** One RTCPeerConnection: the offer, answer and candidates both roles share. */
class RtcScreenLink implements PeerLink {
  protected readonly pc = new RTCPeerConnection(RTC_CONFIG);
  protected closed = false;

  constructor(private readonly handlers: ScreenLinkHandlers) {
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
      const state = LINK_STATE[this.pc.connectionState];
      if (state && !this.closed) this.handlers.onState(state);
    };
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
    this.pc.ontrack = null;
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }
}

/** The sharer's link to one viewer: my screen's video, sent only (nothing comes back). */
export class SenderLink extends RtcScreenLink {
  constructor(screen: BrowserScreen, handlers: ScreenLinkHandlers) {
    super(handlers);
    for (const track of screen.stream.getVideoTracks()) {
      this.pc.addTransceiver(track, { direction: 'sendonly', streams: [screen.stream] });
    }
  }
}

/** The viewer's link to the sharer: their screen, received, handed over as a MediaStream. */
export class ViewerLink extends RtcScreenLink {
  constructor(handlers: ViewerLinkHandlers<MediaStream>) {
    super(handlers);
    this.pc.ontrack = (event) => {
      if (this.closed || event.track.kind !== 'video') return;
      handlers.onStream(event.streams[0] ?? new MediaStream([event.track]));
    };
  }
}

function sdpOf(description: RTCSessionDescriptionInit): string {
  if (!description.sdp) throw new Error('WebRTC made a session description without SDP');
  return description.sdp;
}

/** The machine's world in the app: the relay through the API, the real screen and links. */
export function rtcScreenDeps(api: LanrageApi): ScreenDeps<BrowserScreen, MediaStream> {
  return {
    send: (to, signal) => api.sendScreenSignal({ to, signal }),
    captureScreen: captureBrowserScreen,
    createSenderLink: (_viewerId, screen, handlers) => new SenderLink(screen, handlers),
    createViewerLink: (_sharerId, handlers) => new ViewerLink(handlers),
    now: () => performance.now(),
  };
}
