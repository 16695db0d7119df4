/** Where the built pieces live, in development (`electron-vite dev/preview`) and packaged. */
import { app } from 'electron';
import { join } from 'node:path';

/** out/main → out/preload and out/renderer sit beside it in both layouts. */
export const PRELOAD_PATH = join(import.meta.dirname, '../preload/index.cjs');
export const RENDERER_INDEX = join(import.meta.dirname, '../renderer/index.html');

/** Set by `electron-vite dev` to the Vite dev server; absent in builds. */
export function devServerUrl(): string | null {
  const url = process.env.ELECTRON_RENDERER_URL;
  return url && !app.isPackaged ? url : null;
}

/** Tray and window icons: packaged as extra resources, or straight from the repository. */
export function iconDir(): string {
  return app.isPackaged
    ? join(process.resourcesPath, 'icons')
    : join(app.getAppPath(), 'resources', 'icons');
}
