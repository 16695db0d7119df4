/**
 * How often another member may make me start our call over. A `join` from a member I have a
 * link to, or a fresh `offer` on a link that already has one, replaces the link with a new
 * RTCPeerConnection. Real restarts (their app restarted, their retry) are seconds apart;
 * an app sending them in a loop would have this page build connections as fast as the
 * server relays signals (about 150 a second within its per-member budget).
 */
export const MIN_RESTART_GAP_MS = 2_000;

export class RestartGuard {
  /** Peer id → when they last made me start over (ms, on `now`'s clock). */
  private readonly last = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Whether `peerId` may start our call over now; if so, not again within the gap. */
  allow(peerId: string): boolean {
    const now = this.now();
    const last = this.last.get(peerId);
    if (last !== undefined && now - last < MIN_RESTART_GAP_MS && now >= last) return false;
    this.last.set(peerId, now);
    return true;
  }
}
