/**
 * Screen sharing's state machine (the protocol is shared/media/screen.ts's): who in the party
 * shares their screen, my own screen and its viewers (screen-broadcast.ts), and the one screen
 * I watch (screen-watch.ts). It touches nothing itself: the screen, the links and the relay
 * are injected (screen-types), so the rules are tested with doubles and run over WebRTC in the
 * app.
 *
 * A signal that comes to me in a role I am not in (an offer while I watch no one, a watch while
 * I share nothing, an answer from someone not watching me) finds no link and is dropped.
 */
import { ScreenSignalKind, type ScreenSignal } from '../../../shared/media/screen';
import { ScreenBroadcast } from './screen-broadcast';
import { makeRelay, type Relay } from '../rtc/link-session';
import { RestartGuard } from '../rtc/restart-guard';
import type { ScreenCapture, ScreenDeps, ScreenView } from './screen-types';
import { ScreenWatch } from './screen-watch';

export class ScreenShare<C extends ScreenCapture = ScreenCapture, S = unknown> {
  private members: ReadonlySet<string> = new Set();
  /** Members I said `ask` to: each is asked once. */
  private readonly asked = new Set<string>();
  /** The other members sharing, in the order heard of. */
  private readonly sharers = new Set<string>();
  private readonly relay: Relay<ScreenSignal>;
  private readonly broadcast: ScreenBroadcast<C>;
  private readonly watching: ScreenWatch<S>;
  /** Sharers I asked back (at most once in 2 s each: two sharing apps would ask in a loop). */
  private readonly askedBack: RestartGuard;
  /** Members asked on their return, at most once in 2 s: a server may flap their presence. */
  private readonly askedOnReturn: RestartGuard;

  /** `onView` hears of every change, with the screen I watch as its link delivered it. */
  constructor(
    private readonly me: string,
    deps: ScreenDeps<C, S>,
    private readonly onView: (view: ScreenView, stream: S | null) => void,
  ) {
    this.relay = makeRelay((to, signal: ScreenSignal) => deps.send(to, signal));
    const publish = () => this.publish();
    const others = () => [...this.members].filter((peerId) => peerId !== me);
    this.broadcast = new ScreenBroadcast(deps, this.relay, others, publish);
    this.watching = new ScreenWatch(deps, this.relay, publish);
    this.askedBack = new RestartGuard(() => deps.now());
    this.askedOnReturn = new RestartGuard(() => deps.now());
  }

  view(): ScreenView {
    const sharers = [...this.sharers];
    return { ...this.broadcast.view(), sharers, watching: this.watching.view() };
  }

  /** The screen I watch, once its link delivered it. */
  stream(): S | null {
    return this.watching.stream();
  }

  /** Asks for my screen and tells everyone I share it. Never rejects. */
  start(): Promise<void> {
    return this.broadcast.start();
  }

  /** Tells everyone I stopped, hangs up on my viewers, gives the screen back. */
  stop(): void {
    this.broadcast.stop();
  }

  /** Watches a member who shares (and no longer the one I watched). */
  watch(peerId: string): void {
    if (!this.sharers.has(peerId)) return;
    this.watching.watch(peerId);
    this.publish();
  }

  unwatch(): void {
    this.watching.unwatch();
    this.publish();
  }

  /**
   * "Hide my address" was just ticked: links up now may go straight (the address in them
   * went out already); each one not known to go through a relay starts over, relay-only.
   */
  restartStraight(): void {
    this.broadcast.restartStraight();
    this.watching.restartStraight();
    this.publish();
  }

  /**
   * The party's server has a relay now: links not connected were made without it. The screen
   * I watch is asked for again; my viewers' links get a new offer.
   */
  retryUnconnected(): void {
    this.broadcast.retryUnconnected();
    this.watching.retryUnconnected();
    this.publish();
  }

  /**
   * Linked to the server again: signals sent meanwhile were lost. Members my `sharing` or
   * `stopped` missed are told again, and every member is asked again (each answers either),
   * but the one I watch: an ask from a viewer means its app restarted, and ends our link. That
   * screen, if still waiting for its offer or failed, is asked for again at once (my `watch`
   * may be what was lost).
   */
  relinked(): void {
    this.broadcast.relinked();
    const watched = this.watching.view()?.peerId ?? null;
    for (const peerId of this.members) {
      if (peerId === this.me || peerId === watched) continue;
      this.ask(peerId);
    }
    this.watching.askAgainIfStalled();
    this.publish();
  }

  /**
   * A member online again after being offline (their app restarted, or lost its network):
   * what we told each other meanwhile was lost. My last word is told again if it did not reach
   * them, and they are asked again, so a restarted sharer, whose new app shares nothing,
   * answers `stopped` and leaves my list. The sharer I watch is not asked (that would end our
   * link): their screen, if still waiting for its offer or failed, is asked for again at once,
   * not at the next retry (a `watch` sent while they were away waited for an offer that never
   * came, "Connecting to Bob's screen…" for good).
   */
  memberBack(peerId: string): void {
    if (peerId === this.me || !this.members.has(peerId)) return;
    this.broadcast.memberBack(peerId);
    // Its own guard: the ask back when their new page asks may follow within 2 s (this ask may
    // come before that page is open to answer it).
    if (!this.askedOnReturn.allow(peerId)) return;
    if (this.watching.view()?.peerId !== peerId) return this.ask(peerId);
    this.watching.askAgainIfStalled();
    this.publish();
  }

  /** Out of the party (or its panel gone): no longer sharing or watching. */
  leave(): void {
    this.watching.unwatch();
    this.broadcast.stop();
  }

  /**
   * The party's members now: those who left stop sharing and watching; the members not asked
   * yet are asked whether they share.
   */
  membersChanged(peerIds: readonly string[]): void {
    this.members = new Set(peerIds);
    let changed = false;
    for (const peerId of [...this.sharers]) {
      if (this.members.has(peerId)) continue;
      this.sharers.delete(peerId);
      this.watching.sharerGone(peerId);
      changed = true;
    }
    for (const peerId of [...this.asked]) if (!this.members.has(peerId)) this.asked.delete(peerId);
    if (this.broadcast.keepOnly(this.members)) changed = true;
    for (const peerId of this.members) {
      if (peerId === this.me || this.asked.has(peerId)) continue;
      this.ask(peerId);
    }
    if (changed) this.publish();
  }

  /** A signal from another member (main checked they are in my party). */
  receive(from: string, signal: ScreenSignal): void {
    if (from === this.me) return;
    switch (signal.kind) {
      case ScreenSignalKind.ASK:
        // An app asks a member once, before it watches: an ask from a viewer of mine is its
        // app restarted, whose link is dead (it would count as watching until it failed).
        this.broadcast.onUnwatch(from);
        this.broadcast.answerAsk(from);
        this.askBack(from);
        break;
      case ScreenSignalKind.SHARING:
        this.sharers.add(from);
        break;
      case ScreenSignalKind.STOPPED:
        this.sharers.delete(from);
        this.watching.sharerGone(from);
        break;
      case ScreenSignalKind.OFFER:
        this.watching.onOffer(from, signal.sdp);
        break;
      case ScreenSignalKind.FULL:
        this.watching.onFull(from);
        break;
      default:
        this.toSharer(from, signal);
    }
    this.publish();
  }

  /**
   * A sharer I list who asks is an app that opened the party anew (restarted: it shares
   * nothing now) or was linked again: its answer to my ask says which. Not the one I watch:
   * my ask would end our link.
   */
  private askBack(from: string): void {
    if (!this.sharers.has(from) || this.watching.view()?.peerId === from) return;
    if (this.askedBack.allow(from)) void this.relay(from, { kind: ScreenSignalKind.ASK });
  }

  /** Asks whether they share (each answers `sharing` or `stopped`). */
  private ask(peerId: string): void {
    this.asked.add(peerId);
    void this.relay(peerId, { kind: ScreenSignalKind.ASK });
  }

  /** What a viewer tells me as the sharer (a candidate may be for either of our links). */
  private toSharer(from: string, signal: ScreenSignal): void {
    switch (signal.kind) {
      case ScreenSignalKind.WATCH:
        return this.broadcast.onWatch(from);
      case ScreenSignalKind.UNWATCH:
        return this.broadcast.onUnwatch(from);
      case ScreenSignalKind.ANSWER:
        return this.broadcast.onAnswer(from, signal.sdp);
      case ScreenSignalKind.CANDIDATE:
        // Two members may each watch the other: the signal does not say which of our links
        // it is for, so both take it. The other link refuses it (its ICE username is not
        // theirs), and a refused candidate is let go (rtc/link-session.ts).
        this.broadcast.onCandidate(from, signal);
        return this.watching.onCandidate(from, signal);
      default:
        return;
    }
  }

  private publish(): void {
    this.onView(this.view(), this.stream());
  }
}
