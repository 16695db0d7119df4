/**
 * `bench:server --repeat K`: each scale measured as K raw/ours pairs. One pair's ratios moved
 * by up to 2× between quiet runs (raw ws's own figures do: README, Performance), so a target
 * decided by one pair was a coin toss near its line. With K pairs each ratio is the median of
 * the pairs' ratios, shown with its range; the absolute figures are field-wise medians.
 */
import type { DurabilityResult } from '../load/durability';
import type { RatioRange, Ratios, ScaleComparison } from './types';

/** The median (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** The value most runs had (the earliest of a tie): a bottleneck, say. */
function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = values[0]!;
  for (const [v, n] of counts) if (n > counts.get(best)!) best = v;
  return best;
}

/**
 * Field by field: numbers become the median over the runs (rounded to 3 decimals), strings
 * the most common, objects recurse, anything else (arrays) is the first run's; a field null
 * or missing in some runs is taken from the others. The runs share one shape (one type, one
 * bench).
 */
export function medianOf<T>(runs: readonly T[]): T {
  // A value some runs lack (null: no error in that run) comes from the runs that have it, so
  // one pair's first error is not hidden behind a clean first pair.
  const present = runs.filter((r) => r !== null && r !== undefined);
  if (present.length > 0 && present.length < runs.length) return medianOf(present);
  const first = runs[0];
  if (typeof first === 'number') return round3(median(runs as readonly number[])) as T;
  if (typeof first === 'string') return mostCommon(runs as readonly string[]) as T;
  if (typeof first !== 'object' || first === null || Array.isArray(first)) return first as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(first)) {
    const values = runs
      .map((r) => (r as Record<string, unknown>)[key])
      .filter((v) => v !== undefined);
    out[key] = medianOf(values);
  }
  return out as T;
}

/** Each ratio's median over the runs (null unless every run has it) and its range. */
function rangedRatios(all: readonly Ratios[]): { ratios: Ratios; ratio_range: RatioRange } {
  const ratios: Ratios = {};
  const range: RatioRange = {};
  for (const key of Object.keys(all[0] ?? {})) {
    const values = all.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
    ratios[key] = values.length === all.length ? round3(median(values)) : null;
    range[key] = values.length === 0 ? null : [Math.min(...values), Math.max(...values)];
  }
  return { ratios, ratio_range: range };
}

/** Durable only if every run was; what went missing is the worst run's. */
function combineDurability(runs: readonly DurabilityResult[]): DurabilityResult {
  return {
    ...medianOf(runs),
    ok: runs.every((d) => d.ok),
    missing_parties: Math.max(...runs.map((d) => d.missing_parties)),
    missing_members: Math.max(...runs.map((d) => d.missing_members)),
    extra_members: Math.max(...runs.map((d) => d.extra_members)),
    first_error: runs.find((d) => d.first_error !== null)?.first_error ?? null,
  };
}

/** K pairs of one scale as one comparison; durable only if every pair was. */
export function combinePairs(pairs: readonly ScaleComparison[]): ScaleComparison {
  if (pairs.length === 1) return pairs[0]!;
  const combined: ScaleComparison = {
    raw: medianOf(pairs.map((p) => p.raw)),
    ours: medianOf(pairs.map((p) => p.ours)),
    durability: combineDurability(pairs.map((p) => p.durability)),
    ...rangedRatios(pairs.map((p) => p.ratios)),
    pairs: [...pairs],
  };
  const redis = combineRedis(pairs);
  if (redis) combined.redis = redis;
  return combined;
}

/** The Redis runs (one instance, two) of every pair, combined label by label. */
function combineRedis(pairs: readonly ScaleComparison[]): ScaleComparison['redis'] {
  const first = pairs[0]!.redis;
  if (!first) return undefined;
  return first.map((run, i) => {
    const runs = pairs.map((p) => p.redis?.[i]).filter((r) => r !== undefined);
    return {
      label: run.label,
      result: medianOf(runs.map((r) => r.result)),
      durability: combineDurability(runs.map((r) => r.durability)),
      ...rangedRatios(runs.map((r) => r.ratios)),
    };
  });
}
