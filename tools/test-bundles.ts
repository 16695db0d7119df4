/**
 * The programs tests start as processes (the control server, the headless app, the test
 * instances of the app's core), bundled once per test run by esbuild as `npm run
 * build:server` bundles the server, and started with plain `node`. Through tsx each start
 * transpiled and loaded the TypeScript again: a server listened after 1.8 s instead of 0.85,
 * a headless app served after 1.7 s instead of 0.5, and CI starts several hundred of them.
 *
 * The bundles land under node_modules/.cache, so their npm imports resolve to this checkout's
 * packages; each run gets its own folder, so a unit run and an e2e run side by side never
 * share one. Vitest's and Playwright's global set-ups build it and remove it at the end.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { bundle, SERVER_ENTRIES } from '../server/build/build-server';

const ROOT = path.resolve(import.meta.dirname, '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache');

/** Each bundle's name (`<name>.js` in the folder) and its source. */
export const TEST_ENTRIES = {
  // Named as build:server names them: cli.js starts sqlite-writer.js beside it.
  ...SERVER_ENTRIES,
  headless: path.join(ROOT, 'electron/headless/cli.ts'),
  'lan-app-instance': path.join(ROOT, 'electron/core/test-util/lan-app-instance.ts'),
  'child-instance': path.join(ROOT, 'electron/core/test-util/child-instance.ts'),
} as const;

export type TestEntry = keyof typeof TEST_ENTRIES;

const PREFIX = 'lanrage-test-';
/** Older than any run: a folder a killed run left behind (its teardown never ran). */
const LEFT_BEHIND_MS = 6 * 3600_000;

function removeLeftBehind(now: number): void {
  for (const name of readdirSync(CACHE)) {
    const dir = path.join(CACHE, name);
    if (name.startsWith(PREFIX) && now - statSync(dir).mtimeMs > LEFT_BEHIND_MS) {
      removeTestBundles(dir);
    }
  }
}

/** Builds every bundle into a new folder; returns the folder. */
export async function buildTestBundles(): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  removeLeftBehind(Date.now());
  const dir = mkdtempSync(path.join(CACHE, PREFIX));
  try {
    await bundle(dir, TEST_ENTRIES);
  } catch (error) {
    removeTestBundles(dir);
    throw error;
  }
  return dir;
}

export function removeTestBundles(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
