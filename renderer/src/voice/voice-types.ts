/**
 * The seams of voice chat: what the mesh (voice-mesh.ts) needs from the outside world, so
 * that its state machine runs in a plain test with doubles and in the app over WebRTC
 * (rtc-link.ts) alike.
 */
import type { IpcResult } from '../../../shared/ipc/contract';
import type { VoiceSignal } from '../../../shared/voice';

/** A link's state as the panel says it. */
export type VoiceLinkState = 'connecting' | 'connected' | 'failed';

/** One ICE candidate, in the fields the `candidate` signal carries. */
export interface IceCandidate {
  candidate: string;
  sdp_mid: string | null;
  sdp_m_line_index: number | null;
}

export type SdpType = 'offer' | 'answer';

/** What a link tells the mesh about itself. */
export interface LinkHandlers {
  /** A local candidate for the other side. */
  onIceCandidate(candidate: IceCandidate): void;
  onState(state: VoiceLinkState): void;
  /** The other side's audio level, 0..1, read while connected (drives "speaking"). */
  onAudioLevel(level: number): void;
}

/** One audio call to one other member (an RTCPeerConnection in the app). */
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

/** My microphone while I am in voice. */
export interface MicStream {
  /** Muted sends silence; the call stays up. */
  setMuted(muted: boolean): void;
  /** Releases the device (the OS stops showing it in use). */
  stop(): void;
}

/** Runs `fn` after `ms` milliseconds, unless the function it returns is called first. */
export type Later = (ms: number, fn: () => void) => () => void;

/** Everything the mesh does to the world. `M` is the microphone the links carry. */
export interface VoiceDeps<M extends MicStream = MicStream> {
  /** Never throws by contract; the mesh guards it anyway (a bridge may). */
  send(to: string, signal: VoiceSignal): Promise<IpcResult<null>>;
  /** Rejects when there is no microphone or LANrage may not use it. */
  openMicrophone(): Promise<M>;
  createLink(peerId: string, mic: M, handlers: LinkHandlers): PeerLink;
  /** Time, for the retries of a failed link: tests fire the waits themselves. */
  later: Later;
  /** Milliseconds on a clock that only moves forward (how soon a member restarts our call). */
  now(): number;
}

export interface VoicePeerView {
  state: VoiceLinkState;
  muted: boolean;
  speaking: boolean;
}

/** What the voice panel shows. */
export interface VoiceView {
  joined: boolean;
  /** Waiting for the microphone after "Join voice" (the OS may be asking the user). */
  joining: boolean;
  muted: boolean;
  error: string | null;
  /** The other members in voice with me, by peer id. */
  peers: Record<string, VoicePeerView>;
  /** Out of voice: the peer ids of the members known to be in voice (voice-roster.ts). */
  present: string[];
}

export const EMPTY_VOICE_VIEW: VoiceView = {
  joined: false,
  joining: false,
  muted: false,
  error: null,
  peers: {},
  present: [],
};
