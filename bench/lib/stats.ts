/** Small statistics helpers shared by the benches. */

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of already sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50), 3),
    p95: round(percentile(sorted, 95), 3),
    p99: round(percentile(sorted, 99), 3),
    max: round(sorted.at(-1) ?? Number.NaN, 3),
  };
}

/** ours / baseline, or null when the baseline is 0 or missing. */
export function ratio(ours: number, baseline: number): number | null {
  if (!Number.isFinite(ours) || !Number.isFinite(baseline) || baseline === 0) return null;
  return round(ours / baseline, 3);
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
