/**
 * Runs before `npm start` and `npm run dev`: is the Electron runtime installed? Without it
 * electron-vite ends in a stack trace ("Electron uninstall"); this says in one line what to
 * do instead. It does not `require('electron')`: that package's index tries to download the
 * binary when it is missing, which hangs or fails on a machine that cannot download.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const MISSING_ELECTRON =
  'LANrage: the Electron runtime is not installed, so the desktop window cannot open. ' +
  'Install it with `npm install` on a machine that can download it ' +
  '(without ELECTRON_SKIP_BINARY_DOWNLOAD), or run `npm run headless` for the same app in your browser.';

/**
 * The path of the Electron binary `require('electron')` would return, or null if it is not there.
 */
export function electronBinary(
  root: string,
  env: Record<string, string | undefined>,
): string | null {
  let packageDir: string;
  try {
    packageDir = dirname(
      createRequire(join(root, 'package.json')).resolve('electron/package.json'),
    );
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return join(override, relative || 'electron');
  if (relative === '') return null;
  const binary = join(packageDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  if (electronBinary(process.cwd(), process.env) === null) {
    console.error(MISSING_ELECTRON);
    process.exit(1);
  }
}
