/**
 * The packaged app's Electron fuses (electron-builder.yml `electronFuses`): production
 * hardening that only exists in the config, so the config itself is what is checked.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..');

describe('electron-builder.yml', () => {
  const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as {
    asar?: boolean;
    files?: string[];
    electronFuses?: Record<string, boolean>;
    mac?: {
      extendInfo?: Record<string, string>;
      entitlements?: string;
      entitlementsInherit?: string;
    };
  };

  it('sets the production fuses: no run-as-node, NODE_OPTIONS or inspect; asar only, integrity-checked', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
    // onlyLoadAppFromAsar and integrity validation mean nothing without an asar.
    expect(config.asar).toBe(true);
  });

  it('on macOS asks for the microphone with a reason, and is entitled to it (voice chat)', () => {
    expect(config.mac?.extendInfo?.NSMicrophoneUsageDescription).toMatch(/voice chat/);
    const plist = readFileSync(join(ROOT, config.mac?.entitlements ?? 'missing'), 'utf8');
    expect(plist).toMatch(/<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/);
    // The camera is never asked for.
    expect(plist).not.toContain('com.apple.security.device.camera');
  });

  it('on macOS is entitled to JIT and the microphone, nothing more (no native modules ship)', () => {
    const file = config.mac?.entitlements ?? 'missing';
    expect(config.mac?.entitlementsInherit).toBe(file);
    const plist = readFileSync(join(ROOT, file), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    const granted = [...plist.matchAll(/<key>([^<]*)<\/key>\s*<true\/>/g)].map((m) => m[1]);
    const keys = [...plist.matchAll(/<key>/g)];
    expect(granted).toEqual([
      'com.apple.security.cs.allow-jit',
      'com.apple.security.device.audio-input',
    ]);
    expect(keys).toHaveLength(granted.length);
  });

  it('packs the app’s own builds of out/, not the profiling renderer a bench leaves there', () => {
    // electron-builder's own matcher over `files`, as it filters the app's directory.
    const require = createRequire(import.meta.url);
    const { FileMatcher } = require('app-builder-lib/out/fileMatcher') as {
      FileMatcher: new (
        from: string,
        to: string,
        expand: (s: string) => string,
        patterns: string[],
      ) => { createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean };
    };
    const filter = new FileMatcher('/app', '/out', (s) => s, config.files ?? []).createFilter();
    const ships = (path: string) => filter(`/app/${path}`, { isDirectory: () => false });
    for (const path of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      expect(ships(path), path).toBe(true);
    }
    for (const path of ['out/renderer-profiling/index.html', 'out/other/x.js']) {
      expect(ships(path), path).toBe(false);
    }
  });

  it('names only fuses electron-builder knows (a typo would be ignored silently)', () => {
    const known = readFileSync(
      join(ROOT, 'node_modules', 'app-builder-lib', 'out', 'configuration.d.ts'),
      'utf8',
    );
    const block = /export interface FuseOptionsV1 \{([\s\S]*?)\n\}/.exec(known)?.[1] ?? '';
    for (const name of Object.keys(config.electronFuses ?? {})) {
      expect(block).toContain(`${name}?: boolean;`);
    }
  });
});
