/**
 * CI proof that `npm run bench:ui` still works: the UI bench at its smallest scale (a party
 * of 8, 3 updates, both builds) must produce a complete, well-formed result. No timing
 * thresholds, but the re-render counts must be real (the profiling build reports commits).
 */
import { expect, test } from '@playwright/test';
import { SMOKE_UI, runUiBench } from '../bench/ui/bench';

test('the UI bench measures updates, re-renders and first paint at its smallest scale', async () => {
  test.setTimeout(120_000);
  const r = await runUiBench({ ...SMOKE_UI, log: () => undefined }, true);
  expect(r.peers).toBe(8);
  expect(r.joins.peers_joined).toBe(7);
  expect(r.update.count).toBe(3);
  for (const s of [
    r.update.server_to_dom_ms,
    r.update.server_to_frame_ms,
    r.update.send_to_dom_ms,
    r.update.baseline_server_to_dom_ms,
    r.update.baseline_server_to_frame_ms,
    r.update.profiling_build_server_to_frame_ms,
  ]) {
    expect(s.count).toBe(3);
    expect(Number.isFinite(s.p50) && Number.isFinite(s.max)).toBe(true);
  }
  // Every update re-rendered its own row: the Profiler counts are live in the profiling build.
  expect(r.update.target_row_rerendered).toBe(3);
  expect(r.first_paint.rows).toBe(8);
  expect(r.first_paint.party_view_ms).toBeGreaterThan(0);
  expect(r.bundle.js_bytes).toBeGreaterThan(0);
  expect(Object.keys(r.targets).sort()).toEqual([
    'only_updated_row_rerenders',
    'update_on_screen_ms',
  ]);
});
