/**
 * Voice chat over WebRTC: the microphone, and the PeerLink voice-mesh.ts drives, one
 * RTCPeerConnection per other member. Thin on purpose: the rules (who offers, candidates that
 * wait) are the mesh's and tested there; this needs a browser's WebRTC, which unit tests lack.
 */
import type { LanrageApi } from '../../../shared/ipc/contract';
import type {
  IceCandidate,
  LinkHandlers,
  MicStream,
  PeerLink,
  SdpType,
  VoiceDeps,
  VoiceLinkState,
} from './voice-types';

/**
 * No STUN or TURN server: voice goes straight between the two PCs, on their LAN or through
 * LANrage's tunnel, where each already reaches the other by its own addresses. So no third
 * party learns anyone's address, and none carries anyone's voice.
 */
const RTC_CONFIG: RTCConfiguration = { iceServers: [] };

/** Often enough that the speaking mark follows speech; rare enough to cost nothing. */
const LEVEL_POLL_MS = 300;

/** `disconnected` often comes back by itself, so it reads as connecting, not failed. */
const LINK_STATE: Partial<Record<RTCPeerConnectionState, VoiceLinkState>> = {
  new: 'connecting',
  connecting: 'connecting',
  disconnected: 'connecting',
  connected: 'connected',
  failed: 'failed',
};

export class BrowserMic implements MicStream {
  constructor(readonly stream: MediaStream) {}

  setMuted(muted: boolean): void {
    // A disabled track sends silence: the call stays up and unmuting is instant.
    for (const track of this.stream.getAudioTracks()) track.enabled = !muted;
  }

  stop(): void {
    for (const track of this.stream.getTracks()) track.stop();
  }
}

export async function openBrowserMicrophone(): Promise<BrowserMic> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    video: false,
  });
  return new BrowserMic(stream);
}

/** The level of the audio we receive (inbound-rtp `audioLevel`), or null before any. */
function inboundAudioLevel(report: RTCStatsReport): number | null {
  let level: number | null = null;
  report.forEach((entry: unknown) => {
    const stats = entry as { type?: unknown; kind?: unknown; audioLevel?: unknown };
    if (stats.type !== 'inbound-rtp' || stats.kind !== 'audio') return;
    if (typeof stats.audioLevel === 'number') level = Math.max(level ?? 0, stats.audioLevel);
  });
  return level;
}

export class RtcLink implements PeerLink {
  private readonly pc = new RTCPeerConnection(RTC_CONFIG);
  private readonly audio = new Audio();
  private timer: ReturnType<typeof setInterval> | null = null;
  private polling = false;
  private closed = false;

  constructor(
    mic: BrowserMic,
    private readonly handlers: LinkHandlers,
  ) {
    this.audio.autoplay = true;
    for (const track of mic.stream.getAudioTracks()) this.pc.addTrack(track, mic.stream);
    this.pc.ontrack = (event) => {
      this.audio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      this.audio.play().catch(() => undefined);
    };
    this.pc.onicecandidate = ({ candidate }) => {
      // null: gathering is over, which the other side need not be told.
      if (candidate === null || this.closed) return;
      this.handlers.onIceCandidate({
        candidate: candidate.candidate,
        sdp_mid: candidate.sdpMid,
        sdp_m_line_index: candidate.sdpMLineIndex,
      });
    };
    this.pc.onconnectionstatechange = () => this.stateChanged();
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
    this.stopPolling();
    this.pc.ontrack = null;
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    this.audio.pause();
    this.audio.srcObject = null;
  }

  private stateChanged(): void {
    if (this.closed) return;
    const state = LINK_STATE[this.pc.connectionState];
    if (state) this.handlers.onState(state);
    if (this.pc.connectionState === 'connected') this.startPolling();
    else this.stopPolling();
  }

  private startPolling(): void {
    this.timer ??= setInterval(() => void this.pollLevel(), LEVEL_POLL_MS);
  }

  private stopPolling(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async pollLevel(): Promise<void> {
    // A slow getStats must not pile up polls behind it.
    if (this.polling || this.closed) return;
    this.polling = true;
    try {
      const level = inboundAudioLevel(await this.pc.getStats());
      if (level !== null && !this.closed) this.handlers.onAudioLevel(level);
    } catch {
      // The connection is closing: the state change that follows says so.
    } finally {
      this.polling = false;
    }
  }
}

function sdpOf(description: RTCSessionDescriptionInit): string {
  if (!description.sdp) throw new Error('WebRTC made a session description without SDP');
  return description.sdp;
}

/** The mesh's world in the app: the relay through the API, the real microphone and links. */
export function rtcVoiceDeps(api: LanrageApi): VoiceDeps<BrowserMic> {
  return {
    send: (to, signal) => api.sendVoiceSignal({ to, signal }),
    openMicrophone: openBrowserMicrophone,
    createLink: (_peerId, mic, handlers) => new RtcLink(mic, handlers),
    now: () => performance.now(),
    later: (ms, fn) => {
      const timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    },
  };
}
