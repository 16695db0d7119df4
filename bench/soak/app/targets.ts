/**
 * The app soak's targets, judged on one run against its own warm-up checkpoint: what the app
 * shows and the handles it holds follow the live state, so once the churn has settled (the
 * app alone in its party, connected) each is back to its warm-up size; its retained heap
 * without compiled code is within 5 % of the warm-up's; every step did what it should. Code is
 * left out because V8 keeps compiling more of the app's functions for minutes: in a run of
 * 1 200 cycles it was 1.3 of the 1.4 MB the heap grew (a heap-snapshot diff), none of it data.
 */
import { MAX_ACTIVITY } from '../../../shared/ipc/app-state';
import { MAX_NOTICES } from '../../../electron/core/notices';
import { ACTIVITY_LINES, BY_DESIGN_MARK } from './app-sizes';
import { dataHeap } from '../heap';
import type { JudgedTarget } from '../../lib/results';
import type { AppCheckpoint } from './soak';

/** The data heap after the last segment over the warm-up's. */
export const APP_HEAP_RATIO_MAX = 1.05;

/** Counters of what happened (they only count up), and what grows on purpose. */
const notJudged = (name: string): boolean =>
  name.startsWith('seen:') || name.includes(BY_DESIGN_MARK);

/** Lists kept to their newest entries: judged against their cap, not the warm-up. */
const CAPPED: Record<string, number> = {
  activity: MAX_ACTIVITY,
  notices: MAX_NOTICES,
  [ACTIVITY_LINES]: MAX_ACTIVITY,
};

/** The sizes that ended larger than at the warm-up (or than their cap). */
export function grownAppSizes(first: AppCheckpoint, end: AppCheckpoint): string[] {
  return Object.keys(end.sizes).filter((name) => {
    const b = end.sizes[name] ?? 0;
    const cap = CAPPED[name];
    if (cap !== undefined) return b > cap;
    return !notJudged(name) && b > (first.sizes[name] ?? 0);
  });
}

/** `byDesign`: what the rows kept on purpose grew by (bytes), taken off the end's heap. */
export function appSoakTargets(
  first: AppCheckpoint,
  end: AppCheckpoint,
  byDesign: number,
  failures: number,
): Record<string, JudgedTarget> {
  const grown = grownAppSizes(first, end);
  const ratio = (dataHeap(end.heap) - byDesign) / dataHeap(first.heap);
  return {
    live_sizes_flat: {
      target: 'what the app shows, its handles and files back to their warm-up sizes',
      value: grown.length === 0 ? 'all flat' : grown.join(', '),
      met: grown.length === 0,
    },
    data_heap_ratio: {
      target: `retained heap without compiled code or rows kept by design <= ${APP_HEAP_RATIO_MAX}x the warm-up's`,
      value: Number(ratio.toFixed(3)),
      met: ratio <= APP_HEAP_RATIO_MAX,
    },
    unexpected_answers: {
      target: "every step of the churn did what it should (the app's and its friends')",
      value: failures,
      met: failures === 0,
    },
  };
}
