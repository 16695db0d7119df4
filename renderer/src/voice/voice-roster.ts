/**
 * Who is in voice while I am not, so the panel can say whom I would be talking to before I
 * join. Learnt from their `join`, `here` (their answer to my `ask`) and `leave`; on leaving
 * voice, the members I was with. Members are asked once: a member new to the party asks for
 * itself, and one in voice tells everyone when it joins or leaves. Not whether they are
 * muted: a mute goes only to those in voice, so it would soon be out of date here.
 */
import { VoiceSignalKind, type VoiceSignal } from '../../../shared/media/voice';

export class VoiceRoster {
  private readonly present = new Set<string>();
  private readonly known = new Set<string>();

  /** Members not asked before (and not me), now counted as asked. */
  toAsk(members: ReadonlySet<string>, me: string): string[] {
    const fresh = [...members].filter((peerId) => peerId !== me && !this.known.has(peerId));
    for (const peerId of fresh) this.known.add(peerId);
    return fresh;
  }

  /**
   * Every member (not me), asked again: what I heard may be stale (a `leave` lost while I was
   * not linked), so who is in voice is what their answers say from now on.
   */
  askAgain(members: ReadonlySet<string>, me: string): string[] {
    this.present.clear();
    this.known.clear();
    return this.toAsk(members, me);
  }

  /** One member, to be asked again: until they answer, not shown in voice. */
  forget(peerId: string): void {
    this.present.delete(peerId);
  }

  /** In voice myself, I learn of the others by their signals: nobody needs asking. */
  markKnown(members: ReadonlySet<string>): void {
    for (const peerId of members) this.known.add(peerId);
  }

  /** Members who left the party; true when one of them was shown. */
  keepOnly(members: ReadonlySet<string>): boolean {
    for (const peerId of [...this.known]) if (!members.has(peerId)) this.known.delete(peerId);
    const gone = [...this.present].filter((peerId) => !members.has(peerId));
    for (const peerId of gone) this.present.delete(peerId);
    return gone.length > 0;
  }

  /** What a signal out of voice says of its sender. */
  heard(from: string, signal: VoiceSignal): void {
    switch (signal.kind) {
      case VoiceSignalKind.JOIN:
      case VoiceSignalKind.HERE:
        this.present.add(from);
        break;
      // Only an app out of voice asks (one that restarted mid-call, say).
      case VoiceSignalKind.ASK:
      case VoiceSignalKind.LEAVE:
        this.present.delete(from);
        break;
      default:
        break;
    }
  }

  /** I left voice: these stay in it. */
  replace(peerIds: Iterable<string>): void {
    this.present.clear();
    for (const peerId of peerIds) this.present.add(peerId);
  }

  /** I joined voice: from now on the calls say who is there. */
  clear(): void {
    this.present.clear();
  }

  /** Peer ids, in the order they were heard of. */
  view(): string[] {
    return [...this.present];
  }
}
