/**
 * The embedded backend: one server alone on its store (SQLite for `npm run server`, the app's
 * file store for its embedded server, a memory store in tests). Nobody else commits to it, so
 * this server always sweeps, there is nothing to follow or read back, and the password
 * throttle counts in this server's memory. The other side of the seam is redis/backend.ts.
 */
import { GuessThrottle, type GuessLimiter } from '../access/guess-throttle';
import type { PartyStore } from '../store/store';
import type { StateBackend } from './backend';
import { ALWAYS_LEADER } from './leader-lock';

export class EmbeddedBackend implements StateBackend {
  readonly leader = ALWAYS_LEADER;
  readonly shared = false;

  constructor(readonly store: PartyStore) {}

  follow(): Promise<void> {
    return Promise.resolve();
  }

  /** A store only this server writes refuses no commit for another's; nothing to read back. */
  onConflict(): Promise<void> {
    return Promise.resolve();
  }

  refresh(): Promise<void> {
    return Promise.resolve();
  }

  guesses(now: () => number): GuessLimiter {
    return new GuessThrottle(now);
  }

  /** The store is closed by the server, as for every backend. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
