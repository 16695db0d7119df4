/**
 * The UI bench's result shape, and how the samples of its two passes become figures and targets.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { machineInfo, type MachineInfo } from '../lib/results';
import { ratio, summarize, type LatencySummary } from '../lib/stats';

/** One update_peer, as seen by the raw observer, the app page and the baseline page. */
export interface Sample {
  serverToDom: number;
  serverToFrame: number;
  sendToDom: number;
  baselineToDom: number;
  baselineToFrame: number;
  /** Peer ids whose row Profiler committed because of this update (profiling build only). */
  committed: string[];
  target: string;
}

export interface FirstPaint {
  fcp_ms: number | null;
  party_view_ms: number;
  rows: number;
  runs: number;
}

export interface Joins {
  peers_joined: number;
  all_rows_shown_ms: number;
}

export interface PassOutcome {
  samples: Sample[];
  paint: FirstPaint;
  joins: Joins;
}

export interface UiBenchResults {
  bench: 'ui';
  machine: MachineInfo;
  smoke: boolean;
  peers: number;
  update: {
    count: number;
    server_to_dom_ms: LatencySummary;
    server_to_frame_ms: LatencySummary;
    send_to_dom_ms: LatencySummary;
    baseline_server_to_dom_ms: LatencySummary;
    baseline_server_to_frame_ms: LatencySummary;
    /** App / baseline, server event → painted frame. */
    frame_ratio_to_baseline: { p50: number | null; p95: number | null };
    profiling_build_server_to_frame_ms: LatencySummary;
    target_row_rerendered: number;
    only_target_rerendered: number;
    max_other_rows_rerendered: number;
  };
  first_paint: FirstPaint;
  joins: Joins;
  bundle: { js_bytes: number; js_gzip_bytes: number; css_bytes: number };
  targets: Record<string, { target: string; value: number | boolean; met: boolean }>;
}

/** Sizes of the production renderer bundle the bench ran against. */
export function bundleSize(rendererDir: string): UiBenchResults['bundle'] {
  const assets = join(rendererDir, 'assets');
  const size = { js_bytes: 0, js_gzip_bytes: 0, css_bytes: 0 };
  for (const file of readdirSync(assets)) {
    const bytes = readFileSync(join(assets, file));
    if (file.endsWith('.js')) {
      size.js_bytes += bytes.length;
      size.js_gzip_bytes += gzipSync(bytes).length;
    } else if (file.endsWith('.css')) size.css_bytes += bytes.length;
  }
  return size;
}

function rerenders(samples: readonly Sample[]) {
  const others = samples.map((s) => s.committed.filter((id) => id !== s.target).length);
  return {
    target_row_rerendered: samples.filter((s) => s.committed.includes(s.target)).length,
    only_target_rerendered: samples.filter(
      (s) => s.committed.length === 1 && s.committed[0] === s.target,
    ).length,
    max_other_rows_rerendered: Math.max(0, ...others),
  };
}

/** One update_peer's way to the screen, app and baseline page, and the rows it re-rendered. */
function updateFigures(production: PassOutcome, profiling: PassOutcome): UiBenchResults['update'] {
  const s = production.samples;
  const toFrame = summarize(s.map((x) => x.serverToFrame));
  const baseFrame = summarize(s.map((x) => x.baselineToFrame));
  return {
    count: s.length,
    server_to_dom_ms: summarize(s.map((x) => x.serverToDom)),
    server_to_frame_ms: toFrame,
    send_to_dom_ms: summarize(s.map((x) => x.sendToDom)),
    baseline_server_to_dom_ms: summarize(s.map((x) => x.baselineToDom)),
    baseline_server_to_frame_ms: baseFrame,
    frame_ratio_to_baseline: {
      p50: ratio(toFrame.p50, baseFrame.p50),
      p95: ratio(toFrame.p95, baseFrame.p95),
    },
    profiling_build_server_to_frame_ms: summarize(profiling.samples.map((x) => x.serverToFrame)),
    ...rerenders(profiling.samples),
  };
}

/**
 * Latency comes from the production build (what users run); re-render counts from the
 * profiling build, whose latency is reported beside it to show what profiling costs.
 */
export function uiResults(
  peers: number,
  smoke: boolean,
  production: PassOutcome,
  profiling: PassOutcome,
  bundle: UiBenchResults['bundle'],
): UiBenchResults {
  const update = updateFigures(production, profiling);
  const n = profiling.samples.length;
  const onlyTarget = n > 0 && update.only_target_rerendered === n;
  return {
    bench: 'ui',
    machine: machineInfo(),
    smoke,
    peers,
    update,
    first_paint: production.paint,
    joins: production.joins,
    bundle,
    targets: {
      only_updated_row_rerenders: {
        target: 'every update re-renders its row and no other',
        value: onlyTarget,
        met: onlyTarget,
      },
      update_on_screen_ms: {
        target: 'server event → painted frame <= 50 ms (max)',
        value: update.server_to_frame_ms.max,
        met: update.server_to_frame_ms.max <= 50,
      },
    },
  };
}
