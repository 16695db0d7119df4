/**
 * The seams of voice chat: what the mesh (voice-mesh.ts) needs from the outside world, so
 * that its state machine runs in a plain test with doubles and in the app over WebRTC
 * (rtc-link.ts) alike.
 */
import type { IpcResult } from '../../../shared/ipc/contract';
import type { VoiceSignal } from '../../../shared/media/voice';
import type { LinkState, PeerLink, PeerLinkHandlers } from '../rtc/peer-link';
import type { Later } from '../rtc/link-retry';

export type { IceCandidate, PeerLink, SdpType } from '../rtc/peer-link';

/** A link's state as the panel says it. */
export type VoiceLinkState = LinkState;

/** What a link tells the mesh about itself. */
export interface LinkHandlers extends PeerLinkHandlers {
  /** The other side's audio level, 0..1, read while connected (drives "speaking"). */
  onAudioLevel(level: number): void;
  /** Whether the path the call uses goes through a relay (read while connected). */
  onRoute(relayed: boolean): void;
}

/** My microphone while I am in voice. */
export interface MicStream {
  /** Muted sends silence; the call stays up. */
  setMuted(muted: boolean): void;
  /** Releases the device (the OS stops showing it in use). */
  stop(): void;
}

/** A voice call's link: a PeerLink that also plays their voice, as loud as I set it. */
export interface VoiceLink extends PeerLink {
  /** 0..1 of their voice as it arrives. */
  setVolume(fraction: number): void;
}

export type { Later };

/** Everything the mesh does to the world. `M` is the microphone the links carry. */
export interface VoiceDeps<M extends MicStream = MicStream> {
  /** Never throws by contract; the mesh guards it anyway (a bridge may). */
  send(to: string, signal: VoiceSignal): Promise<IpcResult<null>>;
  /** Rejects when there is no microphone or LANrage may not use it. */
  openMicrophone(): Promise<M>;
  createLink(peerId: string, mic: M, handlers: LinkHandlers): VoiceLink;
  /** Time, for the retries of a failed link: tests fire the waits themselves. */
  later: Later;
  /** Milliseconds on a clock that only moves forward (how soon a member restarts our call). */
  now(): number;
}

export interface VoicePeerView {
  state: VoiceLinkState;
  muted: boolean;
  speaking: boolean;
  /** The call goes through the party server's relay (shared/protocol/relay.ts), not straight. */
  relayed: boolean;
}

/** What the voice panel shows. */
export interface VoiceView {
  joined: boolean;
  /** Waiting for the microphone after "Join voice" (the OS may be asking the user). */
  joining: boolean;
  muted: boolean;
  /** I hear nobody, and I am muted, until I undeafen (or unmute). */
  deafened: boolean;
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
  deafened: false,
  error: null,
  peers: {},
  present: [],
};
