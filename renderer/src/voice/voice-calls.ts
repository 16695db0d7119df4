/**
 * My calls to the other members in voice (voice-mesh.ts decides when there are calls at all):
 * one link each, its set-up in the order signals come, its retries after a failure, whether
 * they are muted or speaking, and how loud each plays here.
 */
import { offersTo, VoiceSignalKind, type VoiceSignal } from '../../../shared/media/voice';
import { volumeOf, withVolume, type VoiceVolumes } from '../../../shared/media/voice-volume';
import { LinkSession, makeRelay, pick, type Relay } from '../rtc/link-session';
import { RestartGuard } from '../rtc/restart-guard';
import { LinkRetry } from '../rtc/link-retry';
import type {
  IceCandidate,
  LinkHandlers,
  MicStream,
  VoiceDeps,
  VoiceLink,
  VoicePeerView,
} from './voice-types';

/** Above this (0..1) they are speaking; silence and a quiet room's hiss stay below it. */
export const SPEAKING_LEVEL = 0.01;

/** One other member in voice, and my link to them. */
interface Member {
  link: LinkSession<VoiceSignal>;
  /** The link as made, which plays their voice (null until made, or when it could not be). */
  call: VoiceLink | null;
  muted: boolean;
  speaking: boolean;
  relayed: boolean;
  /** Kept across the links that replace a failed one, so the streak counts them all. */
  retry: LinkRetry;
}

export class VoiceCalls<M extends MicStream> {
  private readonly inVoice = new Map<string, Member>();
  private readonly restarts = new RestartGuard(() => this.deps.now());
  /** How loud each member plays, in percent (config.json's, and what a slider moves now). */
  private volumes: VoiceVolumes = {};
  /** Deafened: every call plays silent, its member's volume kept for after. */
  private silenced = false;
  private readonly relay: Relay<VoiceSignal>;

  constructor(
    private readonly me: string,
    private readonly deps: VoiceDeps<M>,
    /** My microphone while I am in voice: a retry needs it, and ends with it. */
    private readonly mic: () => M | null,
    private readonly publish: () => void,
  ) {
    this.relay = makeRelay((to, signal: VoiceSignal) => deps.send(to, signal));
  }

  peerIds(): string[] {
    return [...this.inVoice.keys()];
  }

  view(): Record<string, VoicePeerView> {
    const peers: Record<string, VoicePeerView> = {};
    for (const [peerId, m] of this.inVoice) {
      const { muted, speaking, relayed } = m;
      peers[peerId] = { state: m.link.state, muted, speaking, relayed };
    }
    return peers;
  }

  /**
   * They joined voice: a call, replacing one I have (their app restarted, the old link is
   * dead) at most once in 2 s. False when it was not replaced.
   */
  joined(from: string, mic: M, muted: boolean): boolean {
    if (this.inVoice.has(from) && !this.restarts.allow(from)) return false;
    this.hangUp(from);
    this.connect(from, mic, muted);
    return true;
  }

  /** They are in voice: a call if I have none, else only whether they are muted. */
  here(from: string, mic: M, muted: boolean): void {
    if (this.inVoice.has(from)) this.onMute(from, muted);
    else this.connect(from, mic, muted);
  }

  /**
   * Each call not known to go through a relay gets a new link. Mine to offer: a fresh offer,
   * which they take as a restart. Theirs: a `join`, which makes them start over and offer.
   */
  restartStraight(mic: M, muted: boolean): void {
    for (const [peerId, member] of [...this.inVoice]) {
      if (!member.relayed) this.startOver(peerId, member, mic, muted, member.retry);
    }
  }

  /** Each call not connected starts over now, with a fresh streak of tries. */
  retryUnconnected(mic: M, muted: boolean): void {
    for (const [peerId, member] of [...this.inVoice]) {
      if (member.link.state === 'connected') continue;
      this.startOver(peerId, member, mic, muted, new LinkRetry(this.deps.later));
    }
  }

  /**
   * My call with `peerId`, if not connected, starts over now with a fresh streak (they are back
   * online: the retry in flight went out while they could not be reached). True when it did.
   */
  restartUnconnected(peerId: string, mic: M, muted: boolean): boolean {
    const member = this.inVoice.get(peerId);
    if (!member || member.link.state === 'connected') return false;
    this.startOver(peerId, member, mic, muted, new LinkRetry(this.deps.later));
    return true;
  }

  /** A new link; theirs to offer, a `join` makes them start over too (at most once in 2 s). */
  private startOver(peerId: string, member: Member, mic: M, muted: boolean, retry: LinkRetry) {
    this.hangUp(peerId);
    this.connect(peerId, mic, member.muted, retry);
    if (!offersTo(this.me, peerId)) this.sendTo(peerId, { kind: VoiceSignalKind.JOIN, muted });
  }

  /** The volumes as saved: each call plays at its member's. */
  setVolumes(volumes: VoiceVolumes): void {
    this.volumes = volumes;
    for (const peerId of this.inVoice.keys()) this.applyVolume(peerId);
  }

  /** One member's volume, heard at once (a slider moving; saved apart, then setVolumes). */
  setVolume(peerId: string, volume: number): void {
    this.volumes = withVolume(this.volumes, peerId, volume);
    this.applyVolume(peerId);
  }

  /** Every call silent (deafened), or back at its member's volume. */
  setSilenced(silenced: boolean): void {
    this.silenced = silenced;
    for (const peerId of this.inVoice.keys()) this.applyVolume(peerId);
  }

  private applyVolume(peerId: string): void {
    const volume = this.silenced ? 0 : volumeOf(this.volumes, peerId) / 100;
    this.inVoice.get(peerId)?.call?.setVolume(volume);
  }

  onMute(from: string, muted: boolean): void {
    const member = this.inVoice.get(from);
    if (!member) return;
    member.muted = muted;
    // Their silence takes a poll or two to reach the level: do not show them talking meanwhile.
    if (muted) member.speaking = false;
  }

  onOffer(from: string, mic: M, sdp: string): void {
    // The smaller id offers; an offer from the other side would cross mine, so it is dropped.
    if (offersTo(this.me, from)) return;
    let member = this.inVoice.get(from);
    if (member?.link.hasRemote && !this.restarts.allow(from)) return;
    if (!member || member.link.hasRemote) {
      // A second offer on one link is a restart on their side: start clean.
      const muted = member?.muted ?? false;
      this.hangUp(from);
      member = this.open(from, mic, muted);
    }
    const link = member.link;
    link.describeRemote('offer', sdp);
    link.run(async (peer) => {
      const answer = await peer.createAnswer();
      await peer.setLocalDescription('answer', answer);
      this.sendTo(from, { kind: VoiceSignalKind.ANSWER, sdp: answer });
    });
  }

  onAnswer(from: string, sdp: string): void {
    const link = this.inVoice.get(from)?.link;
    if (!link || link.hasRemote || !offersTo(this.me, from)) return;
    link.describeRemote('answer', sdp);
  }

  onCandidate(from: string, candidate: IceCandidate): void {
    this.inVoice.get(from)?.link.addCandidate(candidate);
  }

  /** A new link to a member in voice; I make the offer when it is mine to make. */
  private connect(peerId: string, mic: M, muted: boolean, retry?: LinkRetry): void {
    const link = this.open(peerId, mic, muted, retry).link;
    if (!offersTo(this.me, peerId)) return;
    link.run(async (peer) => {
      const offer = await peer.createOffer();
      await peer.setLocalDescription('offer', offer);
      this.sendTo(peerId, { kind: VoiceSignalKind.OFFER, sdp: offer });
    });
  }

  private open(peerId: string, mic: M, muted: boolean, retry = new LinkRetry(this.deps.later)) {
    const link = new LinkSession<VoiceSignal>(() => this.linkChanged(peerId, member));
    const member: Member = { link, call: null, muted, speaking: false, relayed: false, retry };
    this.inVoice.set(peerId, member);
    link.open(
      () => (member.call = this.deps.createLink(peerId, mic, this.handlers(peerId, member))),
    );
    this.applyVolume(peerId);
    return member;
  }

  private handlers(peerId: string, member: Member): LinkHandlers {
    // A link hung up (or replaced) may still report: only the current one speaks for them.
    const link = member.link;
    return {
      onIceCandidate: (c) => {
        if (!link.closed) this.sendTo(peerId, { kind: VoiceSignalKind.CANDIDATE, ...pick(c) });
      },
      onState: (state) => link.setState(state),
      onAudioLevel: (level) => {
        const speaking = link.state === 'connected' && !member.muted && level > SPEAKING_LEVEL;
        if (link.closed || speaking === member.speaking) return;
        member.speaking = speaking;
        this.publish();
      },
      onRoute: (relayed) => {
        if (link.closed || relayed === member.relayed) return;
        member.relayed = relayed;
        this.publish();
      },
    };
  }

  /**
   * The link's state changed: it says so, a failed one is retried, one connected ends the streak.
   */
  private linkChanged(peerId: string, member: Member): void {
    const state = member.link.state;
    if (state === 'connected') member.retry.connected();
    else member.speaking = false;
    if (state === 'failed') this.retryLater(peerId, member);
    this.publish();
  }

  /** Sends without waiting; one that does not get there fails a call still being set up. */
  sendTo(peerId: string, signal: VoiceSignal): void {
    const link = this.inVoice.get(peerId)?.link;
    if (link) link.send(this.relay, peerId, signal);
    else void this.relay(peerId, signal);
  }

  /**
   * Mine to offer: after a wait, a new link with a fresh offer, which their side takes as a
   * restart. Theirs to offer: their retry's offer comes, and onOffer starts clean.
   */
  private retryLater(peerId: string, member: Member): void {
    if (!offersTo(this.me, peerId)) return;
    member.retry.failed(() => {
      // hangUp cancels the wait; this keeps a timer that fires anyway harmless.
      const mic = this.mic();
      if (mic === null || this.inVoice.get(peerId) !== member) return;
      this.hangUp(peerId);
      this.connect(peerId, mic, member.muted, member.retry);
      this.publish();
    });
  }

  hangUp(peerId: string): void {
    const member = this.inVoice.get(peerId);
    if (!member) return;
    this.inVoice.delete(peerId);
    member.retry.cancel();
    member.link.close();
  }

  hangUpAll(): void {
    for (const peerId of this.peerIds()) this.hangUp(peerId);
  }
}
