/**
 * The desktop app's main-process bundle (electron-vite's out/main, built by `npm run
 * test:e2e` just before this runs) embeds the control server's core for local mode, yet
 * loads no native module and none of the server's own packages: only what the installer
 * ships from node_modules (electron-builder.yml), and it never rebuilds a module for Electron.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'out/main');

/** What the installer ships from node_modules: electron-builder.yml's `!(a|b|…)` list. */
function packaged(): Set<string> {
  const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
  const kept = /node_modules\/!\(([^)]+)\)/.exec(yml)?.[1] ?? '';
  return new Set(['electron', ...kept.split('|')]);
}
const BUILTIN = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(path);
    return /\.(c|m)?js$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier the bundle loads: static and dynamic imports and requires. */
function specifiers(code: string): string[] {
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((p) => [...code.matchAll(p)].map((m) => m[1]!));
}

const packageOf = (spec: string): string =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;

test('out/main embeds the server core and loads only packaged, non-native modules', () => {
  const files = jsFiles(OUT);
  expect(files.length).toBeGreaterThan(0);
  const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  // The embedded server is really in there (its core's own words).
  expect(code).toContain('metrics are off in this server');
  expect(code.includes('better-sqlite3'), 'out/main mentions better-sqlite3').toBe(false);
  const external = specifiers(code).filter((s) => !s.startsWith('.') && !BUILTIN.has(s));
  const packages = [...new Set(external.map(packageOf))].sort();
  const shipped = packaged();
  expect(shipped.has('ws')).toBe(true);
  expect(packages.filter((p) => !shipped.has(p))).toEqual([]);
  expect(packages).not.toContain('pino');
  expect(packages).not.toContain('prom-client');
});
