/**
 * Screen sharing over WebRTC: my screen (getDisplayMedia), the sharer's video-only link that
 * sends it to one viewer, and the viewer's link that receives it for a <video> element, both
 * RTCPeerConnections (rtc/rtc-peer.ts). Thin on purpose: the rules (who offers, candidates
 * that wait) are screen-share.ts's and tested there.
 */
import type { LanrageApi } from '../../../shared/ipc/contract';
import type { RelayConfig } from '../rtc/relay-config';
import { DIRECT_ONLY, RtcPeer } from '../rtc/rtc-peer';
import { relayedRoute } from '../rtc/route';
import type { StatsWatch } from '../rtc/stats-poller';
import type {
  ScreenCapture,
  ScreenDeps,
  ScreenLinkHandlers,
  ViewerLinkHandlers,
} from './screen-types';

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

/** Often enough that the caption follows a path that changes; rare enough to cost nothing. */
const ROUTE_POLL_MS = 1_000;

/** A screen's link reads, while connected, whether its path goes through a relay. */
function routeWatch(handlers: ScreenLinkHandlers): StatsWatch<RTCStatsReport> {
  return {
    everyMs: ROUTE_POLL_MS,
    read: (report) => {
      const relayed = relayedRoute(report);
      if (relayed !== null) handlers.onRoute(relayed);
    },
  };
}

/** The sharer's link to one viewer: my screen's video, sent only (nothing comes back). */
export class SenderLink extends RtcPeer {
  constructor(screen: BrowserScreen, handlers: ScreenLinkHandlers, config: RTCConfiguration) {
    super(handlers, config, routeWatch(handlers));
    for (const track of screen.stream.getVideoTracks()) {
      this.pc.addTransceiver(track, { direction: 'sendonly', streams: [screen.stream] });
    }
  }
}

/** The viewer's link to the sharer: their screen, received, handed over as a MediaStream. */
export class ViewerLink extends RtcPeer {
  constructor(handlers: ViewerLinkHandlers<MediaStream>, config: RTCConfiguration) {
    super(handlers, config, routeWatch(handlers));
    this.pc.ontrack = (event) => {
      if (this.closed || event.track.kind !== 'video') return;
      handlers.onStream(event.streams[0] ?? new MediaStream([event.track]));
    };
  }
}

/** The machine's world in the app: the relay through the API, the real screen and links. */
export function rtcScreenDeps(
  api: LanrageApi,
  relay: RelayConfig | null,
): ScreenDeps<BrowserScreen, MediaStream> {
  return {
    send: (to, signal) => api.sendScreenSignal({ to, signal }),
    captureScreen: captureBrowserScreen,
    createSenderLink: (_viewerId, screen, handlers) =>
      new SenderLink(screen, handlers, relay?.rtc() ?? DIRECT_ONLY),
    createViewerLink: (_sharerId, handlers) =>
      new ViewerLink(handlers, relay?.rtc() ?? DIRECT_ONLY),
    now: () => performance.now(),
    later: (ms, fn) => {
      const timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    },
  };
}
