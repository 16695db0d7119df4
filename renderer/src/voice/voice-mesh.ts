/**
 * Voice chat's state machine: whether I am in voice (the microphone, mute), who else is, and
 * the signals that say so (the protocol is shared/media/voice.ts's); the calls themselves, one link
 * per other member in voice, are voice-calls.ts's. It touches nothing itself: the microphone,
 * the links and the relay are injected (voice-types), so the rules are tested with doubles
 * and run over WebRTC in the app.
 */
import { VoiceSignalKind, type VoiceSignal } from '../../../shared/media/voice';
import type { VoiceVolumes } from '../../../shared/media/voice-volume';
import type { MicStream, VoiceDeps, VoiceView } from './voice-types';
import { stopQuietly } from '../rtc/link-session';
import { VoiceCalls } from './voice-calls';
import { VoiceRoster } from './voice-roster';
import { OncePerGap } from '../rtc/once-per-gap';
import { RestartGuard } from '../rtc/restart-guard';

export { SPEAKING_LEVEL } from './voice-calls';

export const MIC_ERROR =
  'Could not open your microphone. Check that one is plugged in and that LANrage is allowed to use it.';

export class VoiceMesh<M extends MicStream = MicStream> {
  private readonly calls: VoiceCalls<M>;
  private readonly roster = new VoiceRoster();
  private members: ReadonlySet<string> = new Set();
  private mic: M | null = null;
  private joining = false;
  private muted = false;
  private deafened = false;
  /** Whether I was muted when I deafened: undeafening puts it back. */
  private mutedBeforeDeafen = false;
  private error: string | null = null;
  /** Bumped by leave(): a microphone that opens after it is given back at once. */
  private session = 0;
  /** Askers answered at most once in 2 s: one asking in a loop would fill my signal queue. */
  private readonly answers: OncePerGap;
  /** Members back online dealt with at most once in 2 s each: a server may flap presence. */
  private readonly backs: RestartGuard;
  /** Whether my last `join`, `here` or `mute` to each member said I was muted. */
  private readonly toldMuted = new Map<string, boolean>();

  constructor(
    private readonly me: string,
    private readonly deps: VoiceDeps<M>,
    private readonly onView: (view: VoiceView) => void,
  ) {
    this.calls = new VoiceCalls(
      me,
      deps,
      () => this.mic,
      () => this.publish(),
    );
    this.answers = new OncePerGap(
      () => deps.now(),
      (ms, fn) => deps.later(ms, fn),
    );
    this.backs = new RestartGuard(() => deps.now());
  }

  view(): VoiceView {
    const peers = this.calls.view();
    const { muted, deafened, error, joining } = this;
    const present = this.roster.view();
    return { joined: this.mic !== null, joining, muted, deafened, error, peers, present };
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
      this.tell(peerId, { kind: VoiceSignalKind.JOIN, muted: this.muted });
    }
    this.publish();
  }

  /** Says `leave` to every other member, hangs up and gives the microphone back. */
  leave(): void {
    this.session += 1;
    if (this.mic !== null) {
      // Everyone, as join went to everyone: those out of voice show who is in (voice-roster).
      for (const peerId of this.members) {
        if (peerId !== this.me) this.calls.sendTo(peerId, { kind: VoiceSignalKind.LEAVE });
      }
    }
    if (this.mic !== null) {
      this.roster.replace(this.calls.peerIds());
    }
    this.calls.hangUpAll();
    if (this.mic !== null) stopQuietly(this.mic);
    this.mic = null;
    this.joining = false;
    this.error = null;
    this.publish();
  }

  /**
   * Deafened, I hear nobody and am muted; undeafened, I hear everyone at their volumes again
   * and am as muted as before. Kept out of voice, as muted is.
   */
  setDeafened(deafened: boolean): void {
    if (deafened === this.deafened) return;
    this.deafened = deafened;
    this.calls.setSilenced(deafened);
    if (deafened) this.mutedBeforeDeafen = this.muted;
    const muted = deafened || this.mutedBeforeDeafen;
    if (muted !== this.muted) this.setMuted(muted);
    else this.publish();
  }

  /** Muted is kept while out of voice too: joining then starts muted. Unmuting undeafens. */
  setMuted(muted: boolean): void {
    const undeafen = !muted && this.deafened;
    if (undeafen) {
      this.deafened = false;
      this.calls.setSilenced(false);
    }
    if (muted === this.muted) {
      if (undeafen) this.publish();
      return;
    }
    this.muted = muted;
    if (this.mic !== null) {
      this.mic.setMuted(muted);
      for (const peerId of this.calls.peerIds()) {
        this.tell(peerId, { kind: VoiceSignalKind.MUTE, muted });
      }
    }
    this.publish();
  }

  /** The mute shortcut: mutes or unmutes me in voice; out of voice there is nothing to mute. */
  toggleMuteInVoice(): void {
    if (this.mic !== null) this.setMuted(!this.muted);
  }

  /** The volumes as saved: each call plays at its member's. */
  setVolumes(volumes: VoiceVolumes): void {
    this.calls.setVolumes(volumes);
  }

  /** One member's volume, heard at once (a slider moving; saved apart, then setVolumes). */
  setVolume(peerId: string, volume: number): void {
    this.calls.setVolume(peerId, volume);
  }

  /**
   * "Hide my address" was just ticked: calls up now may go straight (the address in them went
   * out already); each one not known to go through a relay starts over, relay-only.
   */
  restartStraight(): void {
    const mic = this.mic;
    if (mic === null) return;
    this.calls.restartStraight(mic, this.muted);
    this.publish();
  }

  /**
   * The party's server has a relay now (it came back with one): calls not connected were made
   * without it (with "Hide my address" such a link has no path at all and never even fails),
   * or failed, their tries spent maybe: they start over at once.
   */
  retryUnconnected(): void {
    const mic = this.mic;
    if (mic === null) return;
    this.calls.retryUnconnected(mic, this.muted);
    this.publish();
  }

  /**
   * Linked to the server again: signals sent meanwhile were lost (a member's `join` to me, or
   * mine, or my `mute`). In voice I say `join` again to each member I have no call with (those
   * in voice answer `here`), and whether I am muted to each I have one with (a mute pressed
   * while the server was away read "not muted" on their side for good); out of voice I ask
   * every member again, as if I had just opened the party.
   */
  relinked(): void {
    if (this.joining) return;
    if (this.mic !== null) {
      for (const peerId of this.members) {
        if (peerId !== this.me) this.sayAgain(peerId);
      }
      return;
    }
    for (const peerId of this.roster.askAgain(this.members, this.me)) {
      this.calls.sendTo(peerId, { kind: VoiceSignalKind.ASK });
    }
    this.publish();
  }

  /**
   * A member online again after being offline (their PC froze, their network dropped, their
   * app restarted): what I told them meanwhile was lost. In voice, a call with them not
   * connected starts over now with a fresh streak (it waited out a retry whose offer could not
   * reach them, up to 30 s after they were back), one connected hears whether I am muted, and
   * without a call they hear my `join`. Out of voice they are asked again whether they are in.
   */
  memberBack(peerId: string): void {
    if (peerId === this.me || !this.members.has(peerId) || this.joining) return;
    if (!this.backs.allow(peerId)) return;
    const mic = this.mic;
    if (mic === null) {
      this.roster.forget(peerId);
      this.calls.sendTo(peerId, { kind: VoiceSignalKind.ASK });
    } else if (!this.calls.restartUnconnected(peerId, mic, this.muted)) {
      this.sayAgain(peerId);
    }
    this.publish();
  }

  /** In voice: `mute` (whether I am) to a member I have a call with, else `join`. */
  private sayAgain(peerId: string): void {
    const inCall = this.calls.peerIds().includes(peerId);
    const kind = inCall ? VoiceSignalKind.MUTE : VoiceSignalKind.JOIN;
    this.tell(peerId, { kind, muted: this.muted });
  }

  /**
   * The party's members now: a link to someone who left the party ends; out of voice, the
   * members not asked yet are asked whether they are in voice.
   */
  membersChanged(peerIds: readonly string[]): void {
    this.members = new Set(peerIds);
    for (const peerId of [...this.toldMuted.keys()]) {
      if (!this.members.has(peerId)) this.toldMuted.delete(peerId);
    }
    const gone = this.calls.peerIds().filter((peerId) => !this.members.has(peerId));
    for (const peerId of gone) this.calls.hangUp(peerId);
    const shownGone = this.roster.keepOnly(this.members);
    if (this.mic !== null || this.joining) this.roster.markKnown(this.members);
    else {
      for (const peerId of this.roster.toAsk(this.members, this.me)) {
        this.calls.sendTo(peerId, { kind: VoiceSignalKind.ASK });
      }
    }
    if (gone.length > 0 || shownGone) this.publish();
  }

  /** Still in voice (the answer may come at the end of its 2 s): hung up, and told `here`. */
  private answerAsk(from: string): void {
    if (this.mic === null) return;
    this.calls.hangUp(from);
    this.tell(from, { kind: VoiceSignalKind.HERE, muted: this.muted });
    this.publish();
  }

  /**
   * They are in voice (their answer to my `join`): a call, if I had none. A mute I pressed
   * after my join went only to the calls I had then: they are told now, else they showed me
   * "not muted" for good.
   */
  private onHere(from: string, mic: M, muted: boolean): void {
    const fresh = !this.calls.peerIds().includes(from);
    this.calls.here(from, mic, muted);
    if (fresh && this.toldMuted.get(from) !== this.muted) {
      this.tell(from, { kind: VoiceSignalKind.MUTE, muted: this.muted });
    }
  }

  /** Sends, remembering what a signal saying whether I am muted said. */
  private tell(peerId: string, signal: VoiceSignal): void {
    if ('muted' in signal) this.toldMuted.set(peerId, signal.muted);
    this.calls.sendTo(peerId, signal);
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
        // Only an app out of voice asks: one that restarted mid-call, whose call with me is
        // over. Kept, it would show them in voice, "connecting…", for minutes of retries.
        this.answers.run(from, () => this.answerAsk(from));
        break;
      case VoiceSignalKind.JOIN:
        if (this.calls.joined(from, mic, signal.muted)) {
          this.tell(from, { kind: VoiceSignalKind.HERE, muted: this.muted });
        }
        break;
      case VoiceSignalKind.HERE:
        this.onHere(from, mic, signal.muted);
        break;
      case VoiceSignalKind.LEAVE:
        this.calls.hangUp(from);
        break;
      case VoiceSignalKind.MUTE:
        this.calls.onMute(from, signal.muted);
        break;
      case VoiceSignalKind.OFFER:
        this.calls.onOffer(from, mic, signal.sdp);
        break;
      case VoiceSignalKind.ANSWER:
        this.calls.onAnswer(from, signal.sdp);
        break;
      case VoiceSignalKind.CANDIDATE:
        this.calls.onCandidate(from, signal);
        break;
    }
    this.publish();
  }

  private publish(): void {
    this.onView(this.view());
  }
}
