/**
 * Voice chat's state machine: who I am in voice with, one audio link per other member in
 * voice, and the signals that set the links up (the protocol is shared/voice.ts's). It
 * touches nothing itself: the microphone, the links and the relay are injected (voice-types),
 * so the rules below are tested with doubles and run over WebRTC in the app.
 */
import { offersTo, VoiceSignalKind, type VoiceSignal } from '../../../shared/voice';
import { volumeOf, withVolume, type VoiceVolumes } from '../../../shared/voice-volume';
import type {
  IceCandidate,
  LinkHandlers,
  MicStream,
  VoiceDeps,
  VoiceLink,
  VoicePeerView,
  VoiceView,
} from './voice-types';
import { LinkRetry } from './link-retry';
import { LinkSession, makeRelay, pick, stopQuietly, type Relay } from '../rtc/link-session';
import { RestartGuard } from '../rtc/restart-guard';
import { VoiceRoster } from './voice-roster';

export const MIC_ERROR =
  'Could not open your microphone. Check that one is plugged in and that LANrage is allowed to use it.';

/** Above this (0..1) they are speaking; silence and a quiet room's hiss stay below it. */
export const SPEAKING_LEVEL = 0.01;

/** One other member in voice, and my link to them. */
interface Member {
  link: LinkSession<VoiceSignal>;
  /** The link as made, which plays their voice (null until made, or when it could not be). */
  call: VoiceLink | null;
  muted: boolean;
  speaking: boolean;
  /** Kept across the links that replace a failed one, so the streak counts them all. */
  retry: LinkRetry;
}

export class VoiceMesh<M extends MicStream = MicStream> {
  private readonly inVoice = new Map<string, Member>();
  private readonly roster = new VoiceRoster();
  private readonly restarts = new RestartGuard(() => this.deps.now());
  private members: ReadonlySet<string> = new Set();
  /** How loud each member plays, in percent (config.json's, and what a slider moves now). */
  private volumes: VoiceVolumes = {};
  private mic: M | null = null;
  private joining = false;
  private muted = false;
  private error: string | null = null;
  /** Bumped by leave(): a microphone that opens after it is given back at once. */
  private session = 0;

  private readonly relay: Relay<VoiceSignal>;

  constructor(
    private readonly me: string,
    private readonly deps: VoiceDeps<M>,
    private readonly onView: (view: VoiceView) => void,
  ) {
    this.relay = makeRelay((to, signal: VoiceSignal) => deps.send(to, signal));
  }

  view(): VoiceView {
    const peers: Record<string, VoicePeerView> = {};
    for (const [peerId, m] of this.inVoice) {
      peers[peerId] = { state: m.link.state, muted: m.muted, speaking: m.speaking };
    }
    const { muted, error, joining } = this;
    const present = this.roster.view();
    return { joined: this.mic !== null, joining, muted, error, peers, present };
  }

  /** Opens the microphone, then says `join` to every other member. Never rejects. */
  async join(): Promise<void> {
    if (this.mic !== null || this.joining) return;
    const session = this.session;
    this.joining = true;
    this.error = null;
    this.publish();
    let mic: M;
    try {
      mic = await this.deps.openMicrophone();
    } catch {
      if (session !== this.session) return;
      this.joining = false;
      this.error = MIC_ERROR;
      this.publish();
      return;
    }
    if (session !== this.session) return stopQuietly(mic);
    this.joining = false;
    this.mic = mic;
    this.roster.clear();
    mic.setMuted(this.muted);
    for (const peerId of this.members) {
      if (peerId === this.me) continue;
      this.sendTo(peerId, { kind: VoiceSignalKind.JOIN, muted: this.muted });
    }
    this.publish();
  }

  /** Says `leave` to every other member, hangs up and gives the microphone back. */
  leave(): void {
    this.session += 1;
    if (this.mic !== null) {
      // Everyone, as join went to everyone: those out of voice show who is in (voice-roster).
      for (const peerId of this.members) {
        if (peerId !== this.me) this.sendTo(peerId, { kind: VoiceSignalKind.LEAVE });
      }
    }
    if (this.mic !== null) {
      this.roster.replace(this.inVoice.keys());
    }
    for (const peerId of [...this.inVoice.keys()]) this.hangUp(peerId);
    if (this.mic !== null) stopQuietly(this.mic);
    this.mic = null;
    this.joining = false;
    this.error = null;
    this.publish();
  }

  /** Muted is kept while out of voice too: joining then starts muted. */
  setMuted(muted: boolean): void {
    if (muted === this.muted) return;
    this.muted = muted;
    if (this.mic !== null) {
      this.mic.setMuted(muted);
      for (const peerId of this.inVoice.keys()) {
        this.sendTo(peerId, { kind: VoiceSignalKind.MUTE, muted });
      }
    }
    this.publish();
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

  private applyVolume(peerId: string): void {
    this.inVoice.get(peerId)?.call?.setVolume(volumeOf(this.volumes, peerId) / 100);
  }

  /**
   * The party's members now: a link to someone who left the party ends; out of voice, the
   * members not asked yet are asked whether they are in voice.
   */
  membersChanged(peerIds: readonly string[]): void {
    this.members = new Set(peerIds);
    const gone = [...this.inVoice.keys()].filter((peerId) => !this.members.has(peerId));
    for (const peerId of gone) this.hangUp(peerId);
    const shownGone = this.roster.keepOnly(this.members);
    if (this.mic !== null || this.joining) this.roster.markKnown(this.members);
    else {
      for (const peerId of this.roster.toAsk(this.members, this.me)) {
        this.sendTo(peerId, { kind: VoiceSignalKind.ASK });
      }
    }
    if (gone.length > 0 || shownGone) this.publish();
  }

  /** A signal from another member (main checked they are in my party). */
  receive(from: string, signal: VoiceSignal): void {
    if (from === this.me) return;
    // Out of voice I have no microphone to link, and a `here` from me would say I am in.
    const mic = this.mic;
    if (mic === null) {
      this.roster.heard(from, signal);
      return this.publish();
    }
    switch (signal.kind) {
      case VoiceSignalKind.ASK:
        this.sendTo(from, { kind: VoiceSignalKind.HERE, muted: this.muted });
        break;
      case VoiceSignalKind.JOIN:
        // Someone I have a link to joins again: their app restarted, the old link is dead.
        if (this.inVoice.has(from) && !this.restarts.allow(from)) break;
        this.hangUp(from);
        this.connect(from, mic, signal.muted);
        this.sendTo(from, { kind: VoiceSignalKind.HERE, muted: this.muted });
        break;
      case VoiceSignalKind.HERE:
        if (this.inVoice.has(from)) this.onMute(from, signal.muted);
        else this.connect(from, mic, signal.muted);
        break;
      case VoiceSignalKind.LEAVE:
        this.hangUp(from);
        break;
      case VoiceSignalKind.MUTE:
        this.onMute(from, signal.muted);
        break;
      case VoiceSignalKind.OFFER:
        this.onOffer(from, mic, signal.sdp);
        break;
      case VoiceSignalKind.ANSWER:
        this.onAnswer(from, signal.sdp);
        break;
      case VoiceSignalKind.CANDIDATE:
        this.onCandidate(from, signal);
        break;
    }
    this.publish();
  }

  private onMute(from: string, muted: boolean): void {
    const member = this.inVoice.get(from);
    if (!member) return;
    member.muted = muted;
    // Their silence takes a poll or two to reach the level: do not show them talking meanwhile.
    if (muted) member.speaking = false;
  }

  private onOffer(from: string, mic: M, sdp: string): void {
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

  private onAnswer(from: string, sdp: string): void {
    const link = this.inVoice.get(from)?.link;
    if (!link || link.hasRemote || !offersTo(this.me, from)) return;
    link.describeRemote('answer', sdp);
  }

  private onCandidate(from: string, candidate: IceCandidate): void {
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
    const member: Member = { link, call: null, muted, speaking: false, retry };
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
    };
  }

  /** The link's state changed: it says so, a failed one is retried, one connected ends the streak. */
  private linkChanged(peerId: string, member: Member): void {
    const state = member.link.state;
    if (state === 'connected') member.retry.connected();
    else member.speaking = false;
    if (state === 'failed') this.retryLater(peerId, member);
    this.publish();
  }

  /** Sends without waiting; one that does not get there fails a call still being set up. */
  private sendTo(peerId: string, signal: VoiceSignal): void {
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
      const mic = this.mic;
      if (mic === null || this.inVoice.get(peerId) !== member) return;
      this.hangUp(peerId);
      this.connect(peerId, mic, member.muted, member.retry);
      this.publish();
    });
  }

  private hangUp(peerId: string): void {
    const member = this.inVoice.get(peerId);
    if (!member) return;
    this.inVoice.delete(peerId);
    member.retry.cancel();
    member.link.close();
  }

  private publish(): void {
    this.onView(this.view());
  }
}
