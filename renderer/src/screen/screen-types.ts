/**
 * The seams of screen sharing: what the state machine (screen-share.ts) needs from the outside
 * world, so that its rules run in a plain test with doubles and in the app over WebRTC
 * (screen-link.ts) alike. A link is rtc/peer-link.ts's, as voice's.
 */
import type { IpcResult } from '../../../shared/ipc/contract';
import type { ScreenSignal } from '../../../shared/media/screen';
import type { LinkState, PeerLink, PeerLinkHandlers } from '../rtc/peer-link';
import type { Later } from '../rtc/link-retry';

export type { IceCandidate, PeerLink, SdpType } from '../rtc/peer-link';

/** A link's state as the panel says it. */
export type ScreenLinkState = LinkState;

/** How watching a screen is going; `full`: the sharer has as many viewers as it can take. */
export type WatchState = ScreenLinkState | 'full';

/** What a link tells the state machine about itself. */
export interface ScreenLinkHandlers extends PeerLinkHandlers {
  /** Whether the path the link uses goes through a relay (read while connected). */
  onRoute(relayed: boolean): void;
}

/** A viewer's link also hands over the screen it receives (`S`: a MediaStream in the app). */
export interface ViewerLinkHandlers<S> extends ScreenLinkHandlers {
  onStream(stream: S): void;
}

/** My screen while I share it. */
export interface ScreenCapture {
  /** Called once if the capture ends by itself (the user stopped it from the OS or browser). */
  onEnded(listener: () => void): void;
  /** Releases the screen (the OS stops showing it as shared). Does not call onEnded. */
  stop(): void;
}

/**
 * Everything screen sharing does to the world. `C` is my screen the sharer's links carry, `S`
 * the screen a viewer's link receives.
 */
export interface ScreenDeps<C extends ScreenCapture = ScreenCapture, S = unknown> {
  /** Never throws by contract; the machine guards it anyway (a bridge may). */
  send(to: string, signal: ScreenSignal): Promise<IpcResult<null>>;
  /** Resolves null when the user cancelled the picker; rejects when the screen cannot be had. */
  captureScreen(): Promise<C | null>;
  /** The sharer's video-only link to one viewer, sending my screen. */
  createSenderLink(viewerId: string, capture: C, handlers: ScreenLinkHandlers): PeerLink;
  /** The viewer's link to the sharer it watches, receiving their screen. */
  createViewerLink(sharerId: string, handlers: ViewerLinkHandlers<S>): PeerLink;
  /** Milliseconds on a clock that only moves forward (how soon a member restarts a link). */
  now(): number;
  /** Waits before a failed screen is asked for again (rtc/link-retry.ts). */
  later: Later;
}

export interface WatchingView {
  peerId: string;
  state: WatchState;
  /** Their screen comes through the party server's relay (protocol/relay.ts), not straight. */
  relayed: boolean;
}

/** What the screen panel shows. */
export interface ScreenView {
  sharing: boolean;
  /** Waiting for the screen after "Share your screen" (the user may be picking one). */
  starting: boolean;
  error: string | null;
  /** How many members watch my screen. */
  viewers: number;
  /** The other members sharing their screen, by peer id, in the order heard of. */
  sharers: string[];
  /** The screen I watch, if any. */
  watching: WatchingView | null;
}

export const EMPTY_SCREEN_VIEW: ScreenView = {
  sharing: false,
  starting: false,
  error: null,
  viewers: 0,
  sharers: [],
  watching: null,
};

export const SCREEN_ERROR =
  'Could not share your screen. Check that LANrage is allowed to record your screen.';

export const SCREEN_CANCELLED = 'Screen sharing was cancelled, so nothing is shared.';
