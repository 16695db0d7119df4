import { readdirSync, readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

const ROOTS = ['electron', 'shared', 'server', 'renderer', 'bench'];
const TESTS = /\.test\.tsx?$/;
const ALL = [`{${ROOTS.join(',')}}/**/*.test.{ts,tsx}`];
/** Calls that replace a module or a global for the file that makes them. */
const REPLACES = /\bvi\.(mock|doMock|unmock|resetModules|stubGlobal|stubEnv)\(/;

/**
 * Test files that replace modules or globals run each in a fresh worker: in a worker shared
 * with other files, whichever file loaded a module first would decide what they all see.
 * Found by reading the files, so a new one cannot be forgotten.
 */
function filesReplacingModules(): string[] {
  return ROOTS.flatMap((root) =>
    readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => TESTS.test(file) && !file.includes('node_modules'))
      // Globs use '/', and readdirSync gives the system's separator ('\\' on Windows).
      .map((file) => `${root}/${file.split(sep).join('/')}`)
      .filter((path) => REPLACES.test(readFileSync(path, 'utf8'))),
  );
}

const OWN_WORKER = filesReplacingModules();

export default defineConfig({
  test: {
    environment: 'node',
    // The programs tests start as processes, bundled once (tools/test-bundles.ts).
    globalSetup: ['tools/vitest-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests spawn real processes and servers; two cores cannot run many at once.
    maxWorkers: 2,
    projects: [
      // Every other file cleans up what it starts, so a worker runs file after file without
      // loading every module again for each: 5.4 min for the whole run instead of 8.
      {
        extends: true,
        test: {
          name: 'tests',
          include: ALL,
          exclude: [...configDefaults.exclude, ...OWN_WORKER],
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: OWN_WORKER } },
    ],
  },
});
