import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../core/test-util/temp-dir';
import { electronBinary, MISSING_ELECTRON } from './check-electron';

const ROOT = resolve(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SCRIPT = join(ROOT, 'electron', 'tools', 'check-electron.ts');

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = makeTempDir('lanrage-check-electron-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
});
afterEach(() => cleanup());

/** A node_modules/electron like npm leaves it, with or without the downloaded binary. */
function fakeElectron(options: { pathTxt?: string; binary?: boolean }): string {
  const pkg = join(dir, 'node_modules', 'electron');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), '{"name":"electron","main":"index.js"}');
  // The real index.js downloads the binary when it is missing: the check must not run it.
  writeFileSync(join(pkg, 'index.js'), 'throw new Error("Electron uninstall")');
  if (options.pathTxt !== undefined) writeFileSync(join(pkg, 'path.txt'), options.pathTxt);
  if (options.binary) writeFileSync(join(pkg, 'dist', 'electron'), '');
  return pkg;
}

function run(cwd: string, env: Record<string, string> = {}) {
  const { ELECTRON_OVERRIDE_DIST_PATH: _drop, ...base } = process.env;
  return spawnSync(TSX, [SCRIPT], { cwd, env: { ...base, ...env }, encoding: 'utf8' });
}

describe('electronBinary', () => {
  it('is null when electron is not installed at all', () => {
    expect(electronBinary(dir, {})).toBeNull();
  });

  it('is null when the package is there but its binary was skipped', () => {
    fakeElectron({});
    expect(electronBinary(dir, {})).toBeNull();
    fakeElectron({ pathTxt: 'electron' });
    expect(electronBinary(dir, {})).toBeNull();
  });

  it('is the binary when it was downloaded, or the override when one is set', () => {
    const pkg = fakeElectron({ pathTxt: 'electron', binary: true });
    expect(electronBinary(dir, {})).toBe(join(pkg, 'dist', 'electron'));
    expect(electronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' })).toBe('/opt/e/electron');
  });
});

describe('check-electron as npm start runs it', () => {
  it('without the runtime: exit 1 and one plain line naming npm run headless, no stack trace', () => {
    fakeElectron({ pathTxt: 'electron' });
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${MISSING_ELECTRON}\n`);
    expect(result.stderr).toContain('npm run headless');
    expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
  });

  it('with the runtime: exit 0, silent', () => {
    fakeElectron({ pathTxt: 'electron', binary: true });
    const result = run(dir);
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).toBe('');
  });

  it('package.json runs it before electron-vite for start and dev', async () => {
    const { scripts } = (await import('../../package.json', { with: { type: 'json' } })).default;
    for (const name of ['start', 'dev'] as const) {
      expect(scripts[name]).toMatch(/^tsx electron\/tools\/check-electron\.ts && electron-vite /);
    }
  });
});
