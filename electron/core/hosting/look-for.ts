/**
 * A party not heard on the LAN yet, looked for a few seconds before the join is answered
 * "not heard": a pasted invite link was told "No party with ID …: it may have ended" 93 ms
 * after Join, while its party ran one hop away, before anyone had asked the network for it.
 */
import type { Clock } from '../../../shared/time/clock';

/** How long a join waits for the party to be heard, asking the network about once a second. */
export const LOOK_FOR_MS = 3000;
const ASK_EVERY_MS = 1000;

export interface LookForDeps<T> {
  clock: Clock;
  /** Asks the network now (a browse query); false: nothing here can ask (no LAN). */
  ask: () => boolean;
  /** Where the party is heard now (none: not heard). */
  locate: () => Promise<T[]>;
  /** Told whenever what is heard changes; returns stop. */
  watch: (listener: () => void) => () => void;
  waitMs?: number;
}

/** Where the party is heard within the wait; none when it is not, or nothing can ask. */
export async function lookFor<T>(deps: LookForDeps<T>): Promise<T[]> {
  const { clock, waitMs = LOOK_FOR_MS } = deps;
  if (!deps.ask()) return [];
  const deadline = clock.now() + waitMs;
  for (let left = waitMs; left > 0; left = deadline - clock.now()) {
    await changeOrTimeout(deps, Math.min(left, ASK_EVERY_MS));
    const found = await deps.locate();
    if (found.length > 0) return found;
    deps.ask();
  }
  return [];
}

/** Resolves on the next change heard, or after `ms`. */
function changeOrTimeout<T>(deps: LookForDeps<T>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stop();
      deps.clock.clearTimeout(timer);
      resolve();
    };
    const stop = deps.watch(done);
    const timer = deps.clock.setTimeout(done, ms);
  });
}
