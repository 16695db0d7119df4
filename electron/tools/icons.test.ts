import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodePng, PNG_SIGNATURE } from '../core/tray/png';
import { TRAY_ICONS } from '../core/tray/tray-model';
import { TRAY_COLORS, trayIconImage } from './icons';
import { TRAY_ICON_DIR } from './make-icons';

const root = join(import.meta.dirname, '..', '..');

function pixelAt(image: { width: number; pixels: Uint8Array }, x: number, y: number): number[] {
  const at = (y * image.width + x) * 4;
  return [...image.pixels.subarray(at, at + 4)];
}

describe('tray icons', () => {
  it('are four distinct images, each showing its state colour in the middle', () => {
    const seen = new Set<string>();
    for (const icon of TRAY_ICONS) {
      const image = trayIconImage(icon, 32);
      seen.add(Buffer.from(image.pixels).toString('base64'));
      // The idle ring is hollow: sample on the ring instead of the centre.
      const probe =
        icon === 'idle' ? pixelAt(image, 16, 6) : pixelAt(image, 16, icon === 'late' ? 22 : 11);
      expect(probe, icon).toEqual([...TRAY_COLORS[icon]]);
    }
    expect(seen.size).toBe(4);
  });

  it('have transparent corners so they sit on any tray', () => {
    for (const icon of TRAY_ICONS) expect(pixelAt(trayIconImage(icon, 16), 0, 0)[3]).toBe(0);
  });

  it('are committed exactly as the generator draws them (16 px and @2x)', () => {
    for (const icon of TRAY_ICONS) {
      for (const [suffix, size] of [
        ['', 16],
        ['@2x', 32],
      ] as const) {
        const file = readFileSync(join(root, TRAY_ICON_DIR, `tray-${icon}${suffix}.png`));
        expect(file.equals(encodePng(trayIconImage(icon, size))), `${icon}${suffix}`).toBe(true);
      }
    }
  });
});

describe('app icon', () => {
  it('is committed as a 512 px PNG for electron-builder', () => {
    const file = readFileSync(join(root, 'build', 'icon.png'));
    expect(file.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(file.readUInt32BE(16)).toBe(512);
    expect(file.readUInt32BE(20)).toBe(512);
    expect(readFileSync(join(root, TRAY_ICON_DIR, 'app.png')).equals(file)).toBe(true);
  });
});

describe('make-icons.ts', () => {
  // Run from an empty folder, where `--import tsx` would not resolve.
  const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const run = (args: string[], cwd: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const script = join(root, 'electron', 'tools', 'make-icons.ts');
      execFile(
        process.execPath,
        ['--import', TSX, script, ...args],
        { cwd, timeout: 30_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });

  // It ignored `--help` and wrote every icon into the folder it was run from.
  it('says what it does for --help (exit 0) and a flag it does not take (exit 2), writing nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lanrage-icons-'));
    try {
      const [help, bad] = await Promise.all([run(['--help'], cwd), run(['--out', 'x'], cwd)]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^usage: npx tsx electron\/tools\/make-icons\.ts \(no flags\)/);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^usage: /);
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
