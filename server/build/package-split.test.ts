/**
 * The repository's runtime `dependencies` serve two programs: the desktop app (its main
 * process loads ws and zod) and the server (which adds better-sqlite3, pino, prom-client).
 * The installer must carry only the app's: no native module, nothing the app never loads.
 * Checked with electron-builder's own node_modules filter on electron-builder.yml's `files`.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { closure, LockfileSchema, packageName } from './lockfile';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');
const lock = LockfileSchema.parse(JSON.parse(read('package-lock.json')));
const manifest = JSON.parse(read('package.json')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** npm packages imported by the app's production sources (not tests, not test helpers). */
function appImports(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'test-util') walk(file);
      } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        for (const m of fs.readFileSync(file, 'utf8').matchAll(/from '([^'./][^']*)'/g)) {
          const spec = m[1]!;
          if (spec.startsWith('node:') || spec === 'electron') continue;
          found.add(
            spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!,
          );
        }
      }
    }
  };
  walk(path.join(ROOT, 'electron'));
  return found;
}

/** electron-builder's filter for files under node_modules, from electron-builder.yml. */
function installerFilter(): (relative: string) => boolean {
  const config = parse(read('electron-builder.yml')) as { files: string[] };
  const files = config.files;
  const require = createRequire(import.meta.url);
  const { getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher') as {
    getNodeModuleFileMatcher: (...args: unknown[]) => {
      createFilter(): (file: string, stat: object) => boolean;
    };
  };
  const packager = { config: { files }, debugLogger: { isEnabled: false } };
  const filter = getNodeModuleFileMatcher(
    '/app',
    '/out',
    (s: string) => s,
    {},
    packager,
  ).createFilter();
  return (relative) =>
    filter(`/app/${relative}`, { isDirectory: () => false, moduleFullFilePath: relative });
}

describe('desktop installer vs server packages', () => {
  const app = closure(lock, [...appImports()]);
  const server = closure(lock, Object.keys(manifest.dependencies));
  const serverOnly = [...server].filter((p) => !app.has(p));

  it("the server's runtime packages are real dependencies, the app's are among them", () => {
    for (const name of ['better-sqlite3', 'pino', 'prom-client', 'ws', 'zod']) {
      expect(manifest.dependencies[name], name).toBeDefined();
      expect(manifest.devDependencies[name], name).toBeUndefined();
    }
    for (const name of appImports()) expect(manifest.dependencies[name], name).toBeDefined();
  });

  it('ships every package the app loads and none that only the server needs', () => {
    const ships = installerFilter();
    expect([...app].map(packageName).sort()).toEqual([
      '@leichtgewicht/ip-codec',
      'dns-packet',
      'multicast-dns',
      'thunky',
      'ws',
      'zod',
    ]);
    for (const p of app) expect(ships(`${p}/package.json`), p).toBe(true);
    expect(serverOnly.map(packageName)).toEqual(
      expect.arrayContaining(['better-sqlite3', 'pino', 'prom-client', 'bindings']),
    );
    for (const p of serverOnly) {
      expect(ships(`${p}/package.json`), p).toBe(false);
      expect(ships(`${p}/build/Release/addon.node`), p).toBe(false);
    }
  });
});
