/**
 * When a failed link is tried again (voice-calls.ts and screen-watch.ts make the new link).
 * WebRTC gives up on a path after about 30 s, yet the network often comes back later (a Wi-Fi
 * that drops for a minute, a PC that moved to another network): the call or screen should
 * come back by itself. Soon at first, for a short drop; then seldom, so a member gone for good
 * costs little; and not forever, so two PCs that can never reach each other stop trying.
 */

/** Runs `fn` after `ms`, unless the returned function is called first. */
export type Later = (ms: number, fn: () => void) => () => void;

/** The wait before each try of a failure streak; the last one repeats. */
export const RETRY_DELAYS_MS: readonly number[] = [2_000, 5_000, 15_000, 30_000];

/** Tries in one streak: about three minutes of waiting, then the member stays failed. */
export const MAX_RETRIES = 8;

const LONGEST_DELAY_MS = RETRY_DELAYS_MS.at(-1) ?? 30_000;

/** One member's retries, handed from each link to the one that replaces it. */
export class LinkRetry {
  /** Tries since a link to them last connected. */
  private tries = 0;
  private cancelWaiting: (() => void) | null = null;

  constructor(private readonly later: Later) {}

  /** The link failed: `retry` runs after the streak's next wait (unless one already waits). */
  failed(retry: () => void): void {
    if (this.cancelWaiting !== null || this.tries >= MAX_RETRIES) return;
    const delay = RETRY_DELAYS_MS[this.tries] ?? LONGEST_DELAY_MS;
    this.tries += 1;
    this.cancelWaiting = this.later(delay, () => {
      this.cancelWaiting = null;
      retry();
    });
  }

  /** A link that connects ends the streak: the next failure starts over at the shortest wait. */
  connected(): void {
    this.cancel();
    this.tries = 0;
  }

  /** The link was hung up for another reason (they left, a newer link took over). */
  cancel(): void {
    this.cancelWaiting?.();
    this.cancelWaiting = null;
  }
}
