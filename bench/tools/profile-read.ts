/**
 * Reading a V8 CPU profile (node --cpu-prof): self time by function, inclusive time of one
 * function by its callers, and how busy each stretch of the run was, over the whole profile or
 * one window of it. A bench's run holds several phases (connect, churn, heartbeat burst), so a
 * figure about one phase needs that phase cut out of the profile.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const NodeSchema = z.object({
  id: z.number(),
  callFrame: z.object({
    functionName: z.string(),
    url: z.string(),
    lineNumber: z.number(),
  }),
  children: z.array(z.number()).optional(),
});
export const ProfileSchema = z.object({
  nodes: z.array(NodeSchema),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
export type Profile = z.infer<typeof ProfileSchema>;
type ProfileNode = z.infer<typeof NodeSchema>;

/** The profile in `file`, or why it cannot be read, in words (no stack). */
export function readProfile(
  file: string,
): { ok: true; profile: Profile } | { ok: false; error: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { ok: false, error: `cannot read ${file} (${code})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: `${file} is not JSON` };
  }
  const parsed = ProfileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: `${file} is not a V8 CPU profile (.cpuprofile)` };
  return { ok: true, profile: parsed.data };
}

/** Milliseconds from the profile's start: [from, to). */
export interface Window {
  from: number;
  to: number;
}

const IDLE = '(idle)';

export function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/(node_modules\/)?/, '');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/** Each sample: its node, when it was taken (ms from the start) and the time it stands for. */
function* samples(profile: Profile): Generator<{ id: number; at: number; ms: number }> {
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    at += ms;
    yield { id: profile.samples[i]!, at, ms };
  }
}

const inWindow = (at: number, window?: Window): boolean =>
  !window || (at >= window.from && at < window.to);

export interface SelfTimes {
  /** Sampled time in the window, idle included (ms). */
  total: number;
  busy: number;
  byLabel: Map<string, number>;
}

/** Self time by function (label), in ms, within `window` if given. */
export function selfTimes(profile: Profile, window?: Window): SelfTimes {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byLabel = new Map<string, number>();
  let total = 0;
  let busy = 0;
  for (const { id, at, ms } of samples(profile)) {
    if (!inWindow(at, window)) continue;
    const node = nodes.get(id);
    if (!node) continue;
    total += ms;
    if (node.callFrame.functionName !== IDLE) busy += ms;
    const key = label(node);
    byLabel.set(key, (byLabel.get(key) ?? 0) + ms);
  }
  return { total, busy, byLabel };
}

/** Busy share of each `bucketMs` stretch of the run, to find its phases. */
export function timeline(profile: Profile, bucketMs: number): { from: number; busy: number }[] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const buckets: { all: number; busy: number }[] = [];
  for (const { id, at, ms } of samples(profile)) {
    const b = (buckets[Math.floor(at / bucketMs)] ??= { all: 0, busy: 0 });
    b.all += ms;
    if (nodes.get(id)?.callFrame.functionName !== IDLE) b.busy += ms;
  }
  return Array.from(buckets, (b, i) => ({
    from: i * bucketMs,
    busy: b && b.all > 0 ? b.busy / b.all : 0,
  }));
}

/** The `ms`-long stretch with the most busy time (a bench's busiest phase). */
export function busiestWindow(profile: Profile, ms: number): Window {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const list = [...samples(profile)].map((s) => ({
    at: s.at,
    busy: nodes.get(s.id)?.callFrame.functionName === IDLE ? 0 : s.ms,
  }));
  let best = { busy: -1, from: 0 };
  let busy = 0;
  let first = 0;
  for (const sample of list) {
    busy += sample.busy;
    while (sample.at - list[first]!.at >= ms) busy -= list[first++]!.busy;
    if (busy > best.busy) best = { busy, from: list[first]!.at };
  }
  return { from: best.from, to: best.from + ms };
}

/**
 * Inclusive time of every function named `name`, by the function that called it (ms), within
 * `window` if given. A recursive call counts once, at its outermost frame.
 */
export function callersOf(profile: Profile, name: string, window?: Window): Map<string, number> {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n.id);
  const byCaller = new Map<string, number>();
  for (const { id, at, ms } of samples(profile)) {
    if (!inWindow(at, window)) continue;
    let outermost: number | undefined;
    for (let k: number | undefined = id; k !== undefined; k = parents.get(k)) {
      if (nodes.get(k)?.callFrame.functionName === name) outermost = k;
    }
    if (outermost === undefined) continue;
    const caller = nodes.get(parents.get(outermost) ?? -1);
    const key = caller ? label(caller) : '(none)';
    byCaller.set(key, (byCaller.get(key) ?? 0) + ms);
  }
  return byCaller;
}
