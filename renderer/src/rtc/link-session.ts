/**
 * One WebRTC link and its bookkeeping, the same for a voice call and for either side of a
 * shared screen: its steps run one after another in the order their signals came, candidates
 * wait for the other side's description, and anything that goes wrong while it is set up marks
 * it failed. Also the relay, as a yes or no. `S` is the feature's signal.
 */
import type { IpcResult } from '../../../shared/ipc/contract';
import type { IceCandidate, LinkState, PeerLink, SdpType } from './peer-link';

/** A link gathers a handful of candidates; a member sending more before its offer is broken. */
export const MAX_PENDING_CANDIDATES = 64;

const ignore = (): void => undefined;

/** Sends a signal without ever rejecting: true when the relay took it. */
export type Relay<S> = (to: string, signal: S) => Promise<boolean>;

export function makeRelay<S>(send: (to: string, signal: S) => Promise<IpcResult<null>>): Relay<S> {
  return async (to, signal) => {
    try {
      return (await send(to, signal)).ok;
    } catch {
      // A bridge that throws is a no as well.
      return false;
    }
  };
}

export class LinkSession<S> {
  /** Null until made, and when it could not be made (then the state is failed). */
  link: PeerLink | null = null;
  state: LinkState = 'connecting';
  closed = false;
  /** Their offer or answer has arrived: from now on a candidate can go to the link. */
  private remoteArrived = false;
  /** Candidates that came before their description, which a link cannot take yet. */
  private readonly pending: IceCandidate[] = [];
  private queue: Promise<void> = Promise.resolve();

  /** `onChange` hears of each change of state while the session is open. */
  constructor(private readonly onChange: (session: LinkSession<S>) => void) {}

  get hasRemote(): boolean {
    return this.remoteArrived;
  }

  /** Makes the link; a link that cannot be made is a failed one. */
  open(create: () => PeerLink): void {
    try {
      this.link = create();
    } catch {
      this.fail();
    }
  }

  /**
   * Runs `step` after the link's earlier steps. A step that fails marks the session failed and
   * the steps after it never run (an answer to an offer the link refused means nothing).
   */
  run(step: (link: PeerLink) => Promise<void>): void {
    const next = this.queue.then(async () => {
      if (this.link !== null && !this.closed) await step(this.link);
    });
    this.queue = next;
    next.catch(() => this.fail());
  }

  /** Their description, then the candidates that waited for it, in the order they came. */
  describeRemote(type: SdpType, sdp: string): void {
    this.remoteArrived = true;
    this.run(async (link) => {
      await link.setRemoteDescription(type, sdp);
      const waiting = this.pending.splice(0, MAX_PENDING_CANDIDATES);
      for (const candidate of waiting) await addCandidate(link, candidate);
    });
  }

  addCandidate(candidate: IceCandidate): void {
    const only = pick(candidate);
    if (this.remoteArrived) this.run((link) => addCandidate(link, only));
    else if (this.pending.length < MAX_PENDING_CANDIDATES) this.pending.push(only);
  }

  /**
   * What the link reports (ignored once closed: a closed link may still report). Any change
   * counts: a link marked failed because a signal was lost may connect after all.
   */
  setState(state: LinkState): void {
    if (this.closed || state === this.state) return;
    this.state = state;
    this.onChange(this);
  }

  fail(): void {
    this.setState('failed');
  }

  /**
   * Sends a signal for this link. One that does not get there fails a link still being set
   * up; a connected link's media is not the relay's, so its state stays what it reports.
   */
  send(relay: Relay<S>, to: string, signal: S): void {
    void relay(to, signal).then((ok) => {
      if (!ok && this.state === 'connecting') this.fail();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.link?.close();
    } catch {
      // Already closed: nothing is left to hang up.
    }
  }
}

/**
 * One bad candidate (an address this PC cannot use) must not fail the link: the others may
 * work, and the link reports failed itself when none does.
 */
function addCandidate(link: PeerLink, candidate: IceCandidate): Promise<void> {
  return link.addIceCandidate(candidate).catch(ignore);
}

/** Exactly the signal's fields: the relay's schema refuses anything more. */
export function pick({ candidate, sdp_mid, sdp_m_line_index }: IceCandidate): IceCandidate {
  return { candidate, sdp_mid, sdp_m_line_index };
}

/** Gives a microphone or a screen back; one that went away on its own is already given. */
export function stopQuietly(media: { stop(): void } | null): void {
  try {
    media?.stop();
  } catch {
    // The device went away on its own.
  }
}
