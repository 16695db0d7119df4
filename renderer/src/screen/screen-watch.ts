/**
 * The viewer's side of screen sharing: the one screen I watch. I say `watch` and wait; the
 * sharer makes the link's offer and I answer it. An offer from anyone else is not mine to take.
 */
import { ScreenSignalKind, type ScreenSignal } from '../../../shared/media/screen';
import { RestartGuard } from '../rtc/restart-guard';
import { LinkRetry } from '../rtc/link-retry';
import { LinkSession, pick, type Relay } from '../rtc/link-session';
import { CONNECT_DEADLINE_MS } from '../rtc/peer-link';
import type { IceCandidate, ScreenCapture, ScreenDeps, WatchingView } from './screen-types';

interface Watching<S> {
  peerId: string;
  /** Made when I say `watch`; its link when their offer comes. */
  link: LinkSession<ScreenSignal>;
  /** They answered `full`: no link will come. */
  full: boolean;
  /** The screen their link delivered, for a video element. */
  stream: S | null;
  /** Its path goes through a relay (as its link last read it). */
  relayed: boolean;
  /** The failure streak's tries, handed from each link to the one asked for after it. */
  retry: LinkRetry;
  /** Cancels the wait for their offer (see askFor). */
  offerWait: (() => void) | null;
}

export class ScreenWatch<S> {
  private current: Watching<S> | null = null;
  private readonly restarts = new RestartGuard(() => this.deps.now());

  constructor(
    private readonly deps: Pick<ScreenDeps<ScreenCapture, S>, 'createViewerLink' | 'now' | 'later'>,
    private readonly relay: Relay<ScreenSignal>,
    private readonly publish: () => void,
  ) {}

  view(): WatchingView | null {
    const watching = this.current;
    if (watching === null) return null;
    const { peerId, full, link, relayed } = watching;
    return { peerId, state: full ? 'full' : link.state, relayed };
  }

  stream(): S | null {
    return this.current?.stream ?? null;
  }

  /** Watches `peerId`'s screen, after unwatching the one I watched; again if that one failed. */
  watch(peerId: string): void {
    const now = this.current;
    if (now?.peerId === peerId && !now.full && now.link.state !== 'failed') return;
    if (now !== null && now.peerId !== peerId) this.unwatch();
    this.askFor(peerId);
  }

  /**
   * "Hide my address" was just ticked: a screen not known to come through a relay is asked
   * for again, on a new link made relay-only (the sharer takes the `watch` as a restart).
   */
  restartStraight(): void {
    const now = this.current;
    if (now === null || now.full || now.relayed) return;
    this.askFor(now.peerId);
  }

  /** The screen I watch is not connected: asked for again (the relay is there now). */
  retryUnconnected(): void {
    const now = this.current;
    if (now === null || now.full || now.link.state === 'connected') return;
    this.askFor(now.peerId);
  }

  /**
   * The sharer came back, or I did: a screen still waiting for its offer, or failed, is asked
   * for again now, with a fresh streak. One whose offer came is left to its link (a new `watch`
   * would restart it).
   */
  askAgainIfStalled(): void {
    const now = this.current;
    if (now === null || now.full) return;
    if (now.link.link === null || now.link.state === 'failed') this.askFor(now.peerId);
  }

  /** Says `unwatch` to the sharer and closes my link to them. */
  unwatch(): void {
    const watching = this.current;
    if (watching === null) return;
    this.closeCurrent();
    void this.relay(watching.peerId, { kind: ScreenSignalKind.UNWATCH });
  }

  /** The sharer I watch stopped, or left the party: nothing to send, the link just ends. */
  sharerGone(peerId: string): void {
    if (this.current?.peerId === peerId) this.closeCurrent();
  }

  onFull(from: string): void {
    const watching = this.current;
    if (watching?.peerId !== from || watching.link.link !== null) return;
    watching.full = true;
    endWait(watching);
  }

  onOffer(from: string, sdp: string): void {
    let watching = this.current;
    if (watching?.peerId !== from || watching.full) return;
    // A second offer is a new link on their side (they replaced mine): start clean, at most
    // once in 2 s (each is a new RTCPeerConnection).
    if (watching.link.link !== null || watching.link.state === 'failed') {
      if (!this.restarts.allow(from)) return;
      const { retry } = watching;
      this.closeCurrent();
      watching = this.begin(from, retry);
    }
    endWait(watching);
    this.openLink(watching);
    const link = watching.link;
    link.describeRemote('offer', sdp);
    link.run(async (peer) => {
      const answer = await peer.createAnswer();
      await peer.setLocalDescription('answer', answer);
      link.send(this.relay, from, { kind: ScreenSignalKind.ANSWER, sdp: answer });
    });
  }

  onCandidate(from: string, candidate: IceCandidate): void {
    const watching = this.current;
    if (watching?.peerId === from && !watching.full) watching.link.addCandidate(candidate);
  }

  private begin(peerId: string, retry = new LinkRetry(this.deps.later)): Watching<S> {
    const link = new LinkSession<ScreenSignal>(() => {
      if (this.current?.link !== link) return;
      this.linkChanged(this.current);
      this.publish();
    });
    const watching: Watching<S> = {
      peerId,
      link,
      full: false,
      stream: null,
      relayed: false,
      retry,
      offerWait: null,
    };
    this.current = watching;
    return watching;
  }

  /**
   * A screen that stops coming (its path gone, a Wi-Fi out) or never came is asked for again
   * by itself, soon and then seldom, as voice calls are; a link that connects ends the streak.
   */
  private linkChanged(watching: Watching<S>): void {
    if (watching.link.state === 'connected') watching.retry.connected();
    if (watching.link.state === 'failed') watching.retry.failed(() => this.askAgain(watching));
  }

  private askAgain(watching: Watching<S>): void {
    if (this.current !== watching) return;
    this.askFor(watching.peerId, watching.retry);
    this.publish();
  }

  /**
   * A new link to `peerId` and `watch` (a fresh streak of tries unless `retry` is given). A
   * `watch` the server took may still never reach them (they were away, or their app does not
   * answer): with no offer by the deadline the link fails, and the retries take over. Until the
   * offer comes there is no WebRTC link whose own deadline would (rtc-peer.ts); it read
   * "Connecting to Bob's screen…" for good.
   */
  private askFor(peerId: string, retry?: LinkRetry): void {
    this.closeCurrent();
    const watching = this.begin(peerId, retry);
    watching.offerWait = this.deps.later(CONNECT_DEADLINE_MS, () => {
      watching.offerWait = null;
      if (this.current === watching && watching.link.link === null) watching.link.fail();
    });
    watching.link.send(this.relay, peerId, { kind: ScreenSignalKind.WATCH });
  }

  private openLink(watching: Watching<S>): void {
    const { peerId, link } = watching;
    link.open(() =>
      this.deps.createViewerLink(peerId, {
        onIceCandidate: (c) => {
          if (!link.closed) {
            link.send(this.relay, peerId, { kind: ScreenSignalKind.CANDIDATE, ...pick(c) });
          }
        },
        onState: (state) => link.setState(state),
        onStream: (stream) => {
          if (link.closed || this.current !== watching) return;
          watching.stream = stream;
          this.publish();
        },
        onRoute: (relayed) => {
          if (link.closed || relayed === watching.relayed) return;
          watching.relayed = relayed;
          this.publish();
        },
      }),
    );
  }

  private closeCurrent(): void {
    if (this.current !== null) endWait(this.current);
    this.current?.retry.cancel();
    this.current?.link.close();
    this.current = null;
  }
}

function endWait(watching: Watching<unknown>): void {
  watching.offerWait?.();
  watching.offerWait = null;
}
