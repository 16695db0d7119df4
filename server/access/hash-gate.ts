/**
 * Party passwords are hashed (set, changed) and checked (a join) with scrypt on libuv's four
 * pool threads, tens of ms and 16 MiB each. Nothing bounded how many one address had queued
 * there: a host changing its own party's password 19 times a second from ten connections
 * queued thousands, and every other party's password join waited behind them (two minutes
 * after seven seconds of it). Each address now has a few hashed at once, a few more wait
 * their turn here (not in the pool, where they would hold up everyone), and past that the
 * request is refused.
 */
import { ControlPlaneError } from '../../shared/protocol/errors';
import { ErrorCode } from '../../shared/protocol/protocol';

/** Hashes or checks one address (an addressKey) may have in the thread pool at once. */
export const HASHES_AT_ONCE_PER_ADDRESS = 2;
/** Hashes one address may have waiting for a turn; the next is refused `rate_limited`. */
export const HASHES_WAITING_PER_ADDRESS = 16;

interface Lane {
  running: number;
  waiting: Array<() => void>;
}

export class HashGate {
  private readonly lanes = new Map<string, Lane>();

  /** Runs `work` (which hashes) for `address` in its turn, or refuses it without calling it. */
  async run<T>(address: string, work: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(address);
    if (!lane) this.lanes.set(address, (lane = { running: 0, waiting: [] }));
    if (lane.running < HASHES_AT_ONCE_PER_ADDRESS) lane.running += 1;
    else if (lane.waiting.length < HASHES_WAITING_PER_ADDRESS) {
      // The finishing hash hands its place over, so `running` already counts this one.
      await new Promise<void>((resolve) => lane.waiting.push(resolve));
    } else {
      throw new ControlPlaneError(
        'Too many passwords are being checked from your address at once: try again in a moment',
        { code: ErrorCode.RATE_LIMITED },
      );
    }
    try {
      return await work();
    } finally {
      this.done(address, lane);
    }
  }

  private done(address: string, lane: Lane): void {
    const next = lane.waiting.shift();
    if (next) next();
    else if ((lane.running -= 1) === 0) this.lanes.delete(address);
  }
}
