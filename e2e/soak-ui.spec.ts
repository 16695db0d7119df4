/**
 * CI proof that `npm run bench:soak-ui` still works, at its smoke size (30 cycles, then 30
 * more): every step of the churn shows on the page, the page logs no error, and once the
 * activity list is at its cap the page holds no more DOM nodes, event listeners or documents
 * than at the warm-up. Its heap figures are read, not judged, at this size.
 */
import { expect, test } from '@playwright/test';
import { runUiSoak, SMOKE_WARMUP } from '../bench/soak/ui/soak';

test('the renderer soak churns friends through a hosted party and reads the page back flat', async () => {
  test.setTimeout(120_000);
  const r = await runUiSoak({
    warmup: SMOKE_WARMUP,
    segments: 1,
    snapshotsDir: null,
    log: () => undefined,
  });
  expect(r.checkpoints.map((c) => c.cycles)).toEqual([30, 60]);
  expect(r.outcomes).toEqual({
    'join:ok': 60,
    'kick:ok': 15,
    'leave:ok': 45,
    'rename:ok': 60,
    'settings:ok': 6,
  });
  expect(r.page_errors).toEqual([]);
  expect(r.targets.unexpected_failures.met).toBe(true);
  const [first, end] = r.checkpoints as [(typeof r.checkpoints)[0], (typeof r.checkpoints)[0]];
  expect(end.documents).toBe(1);
  expect(end.dom_nodes).toBeLessThanOrEqual(first.dom_nodes);
  expect(end.js_event_listeners).toBeLessThanOrEqual(first.js_event_listeners);
  expect(r.targets.dom_flat.met).toBe(true);
  expect(first.js_heap_used).toBeGreaterThan(1_000_000);
});
