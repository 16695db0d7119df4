import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  busiestWindow,
  callersOf,
  readProfile,
  selfTimes,
  timeline,
  type Profile,
} from './profile-read';

const frame = (functionName: string) => ({ functionName, url: 'file:///x/app.ts', lineNumber: 0 });

/**
 * root → main → work → work (recursion), root → other → work, and (idle). Samples 1 ms apart:
 * 0–3 ms busy in work under main, 3–6 ms idle, 6–8 ms in work under other, 8–10 ms idle.
 */
const profile: Profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
    { id: 2, callFrame: frame('main'), children: [3] },
    { id: 3, callFrame: frame('work'), children: [4] },
    { id: 4, callFrame: frame('work') },
    { id: 5, callFrame: frame('(idle)') },
    { id: 6, callFrame: frame('other'), children: [7] },
    { id: 7, callFrame: frame('work') },
  ],
  startTime: 0,
  endTime: 10_000,
  samples: [3, 4, 3, 5, 5, 5, 7, 7, 5, 5],
  timeDeltas: Array<number>(10).fill(1000),
};

describe('selfTimes', () => {
  it('counts each sample as its function’s own time, idle apart from busy', () => {
    const { total, busy, byLabel } = selfTimes(profile);
    expect(total).toBe(10);
    expect(busy).toBe(5);
    expect(byLabel.get('work app.ts:1')).toBe(5);
    expect(byLabel.get('(idle) app.ts:1')).toBe(5);
  });

  it('keeps to a window: a sample belongs to it when it is taken within [from, to)', () => {
    // Sample k is taken at k + 1 ms: the window 0.5–3.5 ms holds the first three.
    const { total, busy } = selfTimes(profile, { from: 0.5, to: 3.5 });
    expect(total).toBe(3);
    expect(busy).toBe(3);
  });
});

describe('callersOf', () => {
  it('gives a function’s inclusive time by caller, a recursive call once, at its outermost frame', () => {
    expect([...callersOf(profile, 'work')]).toEqual([
      ['main app.ts:1', 3],
      ['other app.ts:1', 2],
    ]);
    expect([...callersOf(profile, 'work', { from: 5, to: 10 })]).toEqual([['other app.ts:1', 2]]);
    expect(callersOf(profile, 'absent').size).toBe(0);
  });
});

describe('timeline and busiestWindow', () => {
  it('shows how busy each stretch was', () => {
    expect(timeline(profile, 5)).toEqual([
      { from: 0, busy: 3 / 4 },
      { from: 5, busy: 2 / 5 },
      { from: 10, busy: 0 },
    ]);
  });

  it('finds the busiest stretch of a given length', () => {
    expect(busiestWindow(profile, 3)).toEqual({ from: 1, to: 4 });
  });
});

describe('readProfile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lanrage-profile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads a profile, and says in words why another file is not one', () => {
    expect(readProfile(file('ok.cpuprofile', JSON.stringify(profile)))).toEqual({
      ok: true,
      profile,
    });
    const missing = join(dir, 'missing.cpuprofile');
    expect(readProfile(missing)).toEqual({ ok: false, error: `cannot read ${missing} (ENOENT)` });
    const text = file('text.cpuprofile', 'not json');
    expect(readProfile(text)).toEqual({ ok: false, error: `${text} is not JSON` });
    const other = file('other.cpuprofile', '{"nodes": 3}');
    expect(readProfile(other)).toEqual({
      ok: false,
      error: `${other} is not a V8 CPU profile (.cpuprofile)`,
    });
  });
});
