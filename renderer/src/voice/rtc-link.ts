/**
 * Voice chat over WebRTC: the microphone, and the PeerLink voice-mesh.ts drives, one
 * RTCPeerConnection (rtc/rtc-peer.ts) per other member. Thin on purpose: the rules (who
 * offers, candidates that wait) are the mesh's and tested there.
 */
import type { LanrageApi } from '../../../shared/ipc/contract';
import type { RelayConfig } from '../rtc/relay-config';
import { DIRECT_ONLY, RtcPeer } from '../rtc/rtc-peer';
import type { LinkHandlers, MicStream, VoiceDeps, VoiceLink } from './voice-types';
import { relayedRoute } from '../rtc/route';

/** Often enough that the speaking mark follows speech; rare enough to cost nothing. */
const LEVEL_POLL_MS = 300;

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

/** One audio call: my microphone out, their voice played, its level read for "speaking". */
export class RtcLink extends RtcPeer implements VoiceLink {
  private readonly audio = new Audio();
  private timer: ReturnType<typeof setInterval> | null = null;
  private polling = false;

  constructor(
    mic: BrowserMic,
    private readonly voice: LinkHandlers,
    config: RTCConfiguration,
  ) {
    super(voice, config);
    this.audio.autoplay = true;
    for (const track of mic.stream.getAudioTracks()) this.pc.addTrack(track, mic.stream);
    this.pc.ontrack = (event) => {
      this.audio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
      this.audio.play().catch(() => undefined);
    };
  }

  setVolume(fraction: number): void {
    this.audio.volume = Math.min(1, Math.max(0, fraction));
  }

  override close(): void {
    this.stopPolling();
    super.close();
    this.audio.pause();
    this.audio.srcObject = null;
  }

  protected override stateChanged(state: RTCPeerConnectionState): void {
    super.stateChanged(state);
    if (state === 'connected') this.startPolling();
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
      const report = await this.pc.getStats();
      const level = inboundAudioLevel(report);
      const relayed = relayedRoute(report);
      if (level !== null && !this.closed) this.voice.onAudioLevel(level);
      if (relayed !== null && !this.closed) this.voice.onRoute(relayed);
    } catch {
      // The connection is closing: the state change that follows says so.
    } finally {
      this.polling = false;
    }
  }
}

/** The mesh's world in the app: the relay through the API, the real microphone and links. */
export function rtcVoiceDeps(api: LanrageApi, relay: RelayConfig | null): VoiceDeps<BrowserMic> {
  return {
    send: (to, signal) => api.sendVoiceSignal({ to, signal }),
    openMicrophone: openBrowserMicrophone,
    createLink: (_peerId, mic, handlers) => new RtcLink(mic, handlers, relay?.rtc() ?? DIRECT_ONLY),
    now: () => performance.now(),
    later: (ms, fn) => {
      const timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    },
  };
}
