/**
 * The sharer's side of screen sharing: my screen, and one video-only link to each member who
 * watches it. The sharer always makes the offer; a viewer over MAX_SCREEN_VIEWERS is told
 * `full`. A viewer's link that fails is closed and no longer counted: the viewer, who sees it
 * fail too, can ask again.
 */
import {
  MAX_SCREEN_VIEWERS,
  ScreenSignalKind,
  type ScreenSignal,
} from '../../../shared/media/screen';
import { RestartGuard } from '../rtc/restart-guard';
import { LinkSession, pick, stopQuietly, type Relay } from '../rtc/link-session';
import {
  SCREEN_CANCELLED,
  SCREEN_ERROR,
  type IceCandidate,
  type ScreenCapture,
  type ScreenDeps,
} from './screen-types';
import { OncePerGap } from '../rtc/once-per-gap';

export class ScreenBroadcast<C extends ScreenCapture> {
  private capture: C | null = null;
  private starting = false;
  private error: string | null = null;
  /** Bumped by stop(): a screen picked after it is given back at once. */
  private session = 0;
  private readonly viewers = new Map<string, LinkSession<ScreenSignal>>();
  /** The viewers' links whose path goes through a relay, as each last read it. */
  private readonly relayed = new WeakSet<LinkSession<ScreenSignal>>();
  private readonly restarts = new RestartGuard(() => this.deps.now());
  /** Askers answered at most once in 2 s: one asking in a loop would fill my signal queue. */
  private readonly answers = new OncePerGap(
    () => this.deps.now(),
    (ms, fn) => this.deps.later(ms, fn),
  );
  /** Members my last `sharing` or `stopped` did not reach (the relay said no). */
  private readonly unsaid = new Set<string>();

  constructor(
    private readonly deps: Pick<
      ScreenDeps<C>,
      'captureScreen' | 'createSenderLink' | 'now' | 'later'
    >,
    private readonly relay: Relay<ScreenSignal>,
    /** The other members of the party now. */
    private readonly others: () => string[],
    private readonly publish: () => void,
  ) {}

  get sharing(): boolean {
    return this.capture !== null;
  }

  view(): { sharing: boolean; starting: boolean; error: string | null; viewers: number } {
    const { starting, error } = this;
    return { sharing: this.sharing, starting, error, viewers: this.viewers.size };
  }

  /** Asks for the screen, then says `sharing` to every other member. Never rejects. */
  async start(): Promise<void> {
    if (this.capture !== null || this.starting) return;
    const session = this.session;
    this.starting = true;
    this.error = null;
    this.publish();
    let capture: C | null;
    try {
      capture = await this.deps.captureScreen();
    } catch {
      capture = null;
      if (session === this.session) this.error = SCREEN_ERROR;
    }
    if (session !== this.session) return stopQuietly(capture);
    this.starting = false;
    if (capture === null) {
      this.error ??= SCREEN_CANCELLED;
      return this.publish();
    }
    this.capture = capture;
    capture.onEnded(() => {
      if (this.capture === capture) this.stop();
    });
    for (const peerId of this.others()) this.tell(peerId);
    this.publish();
  }

  /** Says `stopped` to every other member, closes every viewer's link, gives the screen back. */
  stop(): void {
    this.session += 1;
    const capture = this.capture;
    this.capture = null;
    if (capture !== null) for (const peerId of this.others()) this.tell(peerId);
    for (const viewerId of [...this.viewers.keys()]) this.dropViewer(viewerId);
    stopQuietly(capture);
    this.starting = false;
    this.error = null;
    this.publish();
  }

  /**
   * A member asks whether I share: `sharing`, or `stopped`, so that an app that asks again
   * (linked to the server after a while without) drops a sharer whose `stopped` it missed.
   */
  answerAsk(from: string): void {
    this.answers.run(from, () => this.tell(from));
  }

  /** Linked to the server again: the members my last word did not reach are told it again. */
  relinked(): void {
    const others = new Set(this.others());
    for (const peerId of [...this.unsaid]) {
      if (others.has(peerId)) this.tell(peerId);
      else this.unsaid.delete(peerId);
    }
  }

  /** A member online again: told my last word if it did not reach them. */
  memberBack(peerId: string): void {
    if (this.unsaid.has(peerId)) this.tell(peerId);
  }

  /** Says whether I share now, and remembers whether the relay took it. */
  private tell(peerId: string): void {
    const kind = this.sharing ? ScreenSignalKind.SHARING : ScreenSignalKind.STOPPED;
    void this.relay(peerId, { kind }).then((taken) => {
      if (taken) this.unsaid.delete(peerId);
      else this.unsaid.add(peerId);
    });
  }

  /** A member asks to watch: a new link and its offer, or `full`. */
  onWatch(from: string): void {
    const capture = this.capture;
    // Sharing nothing (my app restarted since they saw me share, say): told so, they stop
    // listing me, rather than wait on a screen that never comes.
    if (capture === null) return void this.relay(from, { kind: ScreenSignalKind.STOPPED });
    // A second watch from the same viewer replaces its link (their app restarted, or retried),
    // at most once in 2 s: each is a new RTCPeerConnection sending my screen.
    if (this.viewers.has(from) && !this.restarts.allow(from)) return;
    this.dropViewer(from);
    if (this.viewers.size >= MAX_SCREEN_VIEWERS) {
      void this.relay(from, { kind: ScreenSignalKind.FULL });
      return;
    }
    this.offerTo(from, capture);
  }

  /**
   * "Hide my address" was just ticked: each viewer whose link is not known to go through a
   * relay gets a new one (a new offer, which they take as a restart), made relay-only.
   */
  restartStraight(): void {
    this.restartWhere((link) => !this.relayed.has(link));
  }

  /** The relay became ready: viewers' links not connected (made without it) start over. */
  retryUnconnected(): void {
    this.restartWhere((link) => link.state !== 'connected');
  }

  private restartWhere(restart: (link: LinkSession<ScreenSignal>) => boolean): void {
    const capture = this.capture;
    if (capture === null) return;
    for (const [viewerId, link] of [...this.viewers]) {
      if (!restart(link)) continue;
      this.dropViewer(viewerId);
      this.offerTo(viewerId, capture);
    }
  }

  /** A new link to a viewer, and its offer. */
  private offerTo(viewerId: string, capture: C): void {
    const link = new LinkSession<ScreenSignal>((changed) => this.linkChanged(viewerId, changed));
    this.viewers.set(viewerId, link);
    link.open(() =>
      this.deps.createSenderLink(viewerId, capture, {
        onIceCandidate: (c) => this.sendCandidate(viewerId, link, c),
        onState: (state) => link.setState(state),
        onRoute: (relayed) => {
          if (relayed) this.relayed.add(link);
          else this.relayed.delete(link);
        },
      }),
    );
    link.run(async (peer) => {
      const offer = await peer.createOffer();
      await peer.setLocalDescription('offer', offer);
      link.send(this.relay, viewerId, { kind: ScreenSignalKind.OFFER, sdp: offer });
    });
  }

  onUnwatch(from: string): void {
    this.dropViewer(from);
  }

  onAnswer(from: string, sdp: string): void {
    const link = this.viewers.get(from);
    if (!link || link.hasRemote) return;
    link.describeRemote('answer', sdp);
  }

  onCandidate(from: string, candidate: IceCandidate): void {
    this.viewers.get(from)?.addCandidate(candidate);
  }

  /** Members who left the party stop watching; true when one of them was watching. */
  keepOnly(members: ReadonlySet<string>): boolean {
    const gone = [...this.viewers.keys()].filter((viewerId) => !members.has(viewerId));
    for (const viewerId of gone) this.dropViewer(viewerId);
    return gone.length > 0;
  }

  private sendCandidate(
    to: string,
    link: LinkSession<ScreenSignal>,
    candidate: IceCandidate,
  ): void {
    if (!link.closed)
      link.send(this.relay, to, { kind: ScreenSignalKind.CANDIDATE, ...pick(candidate) });
  }

  private linkChanged(viewerId: string, link: LinkSession<ScreenSignal>): void {
    if (this.viewers.get(viewerId) !== link || link.state !== 'failed') return;
    this.dropViewer(viewerId);
    this.publish();
  }

  private dropViewer(viewerId: string): void {
    const link = this.viewers.get(viewerId);
    if (!link) return;
    this.viewers.delete(viewerId);
    link.close();
  }
}
