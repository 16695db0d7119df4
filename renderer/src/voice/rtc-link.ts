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
import type { StatsWatch } from '../rtc/stats-poller';

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

/** The level heard, for "speaking", and whether the call goes through a relay. */
function voiceWatch(voice: LinkHandlers): StatsWatch<RTCStatsReport> {
  return {
    everyMs: LEVEL_POLL_MS,
    read: (report) => {
      const level = inboundAudioLevel(report);
      const relayed = relayedRoute(report);
      if (level !== null) voice.onAudioLevel(level);
      if (relayed !== null) voice.onRoute(relayed);
    },
  };
}

/** One audio call: my microphone out, their voice played, its level read for "speaking". */
export class RtcLink extends RtcPeer implements VoiceLink {
  private readonly audio = new Audio();

  constructor(mic: BrowserMic, voice: LinkHandlers, config: RTCConfiguration) {
    super(voice, config, voiceWatch(voice));
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
    super.close();
    this.audio.pause();
    this.audio.srcObject = null;
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
