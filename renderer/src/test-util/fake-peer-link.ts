/**
 * A PeerLink double for voice's and screen sharing's tests: it records what the state
 * machine asks of it, as lines ("remote offer: <sdp>", "candidate c1"…), in order, and
 * reports the states a browser would.
 */
import type {
  IceCandidate,
  LinkState,
  PeerLink,
  PeerLinkHandlers,
  SdpType,
} from '../rtc/peer-link';

export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class FakePeerLink<H extends PeerLinkHandlers = PeerLinkHandlers> implements PeerLink {
  readonly calls: string[] = [];
  closed = false;
  /** Rejects setRemoteDescription (a description the browser refuses). */
  refuseRemote = false;

  constructor(
    readonly owner: string,
    readonly peerId: string,
    readonly handlers: H,
  ) {}

  createOffer(): Promise<string> {
    this.calls.push('create offer');
    return Promise.resolve(`offer ${this.owner}->${this.peerId}`);
  }
  createAnswer(): Promise<string> {
    this.calls.push('create answer');
    return Promise.resolve(`answer ${this.owner}->${this.peerId}`);
  }
  setLocalDescription(type: SdpType, _sdp: string): Promise<void> {
    this.calls.push(`local ${type}`);
    return Promise.resolve();
  }
  async setRemoteDescription(type: SdpType, sdp: string): Promise<void> {
    // A real link takes a moment: candidates that come meanwhile must still wait for it.
    await tick();
    if (this.refuseRemote) throw new Error('refused');
    this.calls.push(`remote ${type}: ${sdp}`);
  }
  addIceCandidate(candidate: IceCandidate): Promise<void> {
    this.calls.push(`candidate ${candidate.candidate}`);
    return Promise.resolve();
  }
  close(): void {
    this.closed = true;
  }

  /** What the browser would report. */
  report(state: LinkState): void {
    this.handlers.onState(state);
  }
}
