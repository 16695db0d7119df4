/**
 * Which URLs are the app's own page: the built index.html on disk, or the dev server's
 * origin during `electron-vite dev`. IPC from anything else is refused. No electron import.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppPage {
  /** Absolute path of out/renderer/index.html. */
  indexFile: string;
  /** The dev server URL, or null in builds. */
  devUrl: string | null;
}

export function isAppPageUrl(url: string, page: AppPage): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (page.devUrl !== null) {
    return parsed.origin !== 'null' && parsed.origin === new URL(page.devUrl).origin;
  }
  if (parsed.protocol !== 'file:' || parsed.host !== '') return false;
  parsed.search = '';
  parsed.hash = '';
  try {
    return resolve(fileURLToPath(parsed)) === resolve(page.indexFile);
  } catch {
    return false;
  }
}
