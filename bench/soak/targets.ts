/**
 * The soak's targets, judged on one run. Heap figures move by ±5 % between runs of the same
 * scenario, so the hard target is on the per-key structures: each one that follows the live
 * state must be back to its warm-up size once the run has settled. The leak this bench found
 * (routes to closed connections) showed there as 53 → 303 routes; the heap only as ~1 KB a
 * cycle among others' noise.
 */
import { BY_DESIGN_SIZES } from './by-design';
import { SECOND } from './heap';
import type { JudgedTarget } from '../lib/results';
import type { Checkpoint } from './soak';

/** Redis' keys that grow by design (redis-rig.ts): kept for good, or until a day has passed. */
export const REDIS_BY_DESIGN = [
  'redis:access used_id (by design, forever)',
  'redis:access key (by design, forever)',
  'redis:access notice (by design, a day)',
];

/**
 * Grow on purpose (by-design.ts), or bounded by time rather than by the live state: a guess
 * bucket is forgotten once full again (GUESS_REFILL_MS a guess), longer than a settle. The
 * same for the second server on Redis, and for Redis' own keys.
 */
const OWN = [...Object.values(BY_DESIGN_SIZES), 'guesses.buckets'];
const NOT_LIVE = new Set([
  ...OWN,
  ...OWN.map((name) => `${SECOND}${name}`),
  ...REDIS_BY_DESIGN,
  'redis:guess keys',
]);

/** The structures that follow the live state and ended larger than at the warm-up. */
export function grownStructures(first: Checkpoint, end: Checkpoint): string[] {
  return Object.keys(end.sizes).filter((name) => {
    const a = first.sizes[name];
    const b = end.sizes[name];
    return !NOT_LIVE.has(name) && a != null && b != null && b > a;
  });
}

export function soakTargets(
  first: Checkpoint,
  end: Checkpoint,
  failures: number,
): Record<string, JudgedTarget> {
  const grown = grownStructures(first, end);
  return {
    live_structures_flat: {
      target: 'every structure that follows the live state back to its warm-up size',
      value: grown.length === 0 ? 'all flat' : grown.join(', '),
      met: grown.length === 0,
    },
    unexpected_answers: {
      target: 'every request of the churn answered as expected',
      value: failures,
      met: failures === 0,
    },
  };
}
