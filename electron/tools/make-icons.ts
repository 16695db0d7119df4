/**
 * Regenerates the committed icons: `npx tsx electron/tools/make-icons.ts`.
 * Tray icons at 16 px plus @2x (32 px) for HiDPI, and the 512 px app icon.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { atomicWrite } from '../core/state/atomic-write';
import { encodePng } from '../core/tray/png';
import { TRAY_ICONS } from '../core/tray/tray-model';
import { appIconImage, trayIconImage } from './icons';

export const TRAY_ICON_DIR = 'resources/icons';

/** Every icon file, relative to the repository root, with its PNG bytes. */
export function iconFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const icon of TRAY_ICONS) {
    files.set(join(TRAY_ICON_DIR, `tray-${icon}.png`), encodePng(trayIconImage(icon, 16)));
    files.set(join(TRAY_ICON_DIR, `tray-${icon}@2x.png`), encodePng(trayIconImage(icon, 32)));
  }
  const app = encodePng(appIconImage(512));
  files.set(join(TRAY_ICON_DIR, 'app.png'), app);
  files.set('build/icon.png', app);
  return files;
}

async function main(root: string): Promise<void> {
  for (const [path, bytes] of iconFiles()) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    // Files of the repository, read by the build and the installer: not owner-only.
    await atomicWrite(join(root, path), bytes, { mode: 0o644 });
    console.log(`wrote ${path} (${bytes.length} bytes)`);
  }
}

const USAGE =
  'usage: npx tsx electron/tools/make-icons.ts (no flags), from the repository root: rewrites ' +
  `${TRAY_ICON_DIR}/ and build/icon.png as electron/tools/icons.ts draws them`;

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  // `--help` rewrote every icon (in the folder it was run from) instead of saying what it does.
  const args = process.argv.slice(2);
  if (args.length > 0) {
    const help = args.length === 1 && (args[0] === '--help' || args[0] === '-h');
    (help ? console.log : console.error)(USAGE);
    process.exit(help ? 0 : 2);
  }
  main(process.cwd()).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
