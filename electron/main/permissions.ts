/**
 * The permissions the app's page may have: the microphone, for voice chat; the screen (video
 * only), for screen sharing; and full screen, to watch a shared screen big. Nothing else
 * (camera, notifications through the page, geolocation…), and nothing for any page but the
 * app's own. Pure, so it is tested in Node; window.ts hands Electron's asks to it.
 */
import { isAppPageUrl, type AppPage } from './app-url';

/** What Electron tells of a permission request or check. */
export interface PermissionAsk {
  permission: string;
  /** The URL of the page asking (a request's `details.requestingUrl`). */
  requestingUrl: string | undefined;
  /** A media request's kinds (`details.mediaTypes`), or a check's one (`mediaType`). */
  mediaTypes: readonly string[] | undefined;
}

/** Permission → the media kinds it may cover: the microphone; the screen without its sound. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  media: ['audio'],
  'display-capture': ['video'],
};

/** Permissions that name no media kinds. */
const PLAIN = new Set(['fullscreen']);

export function allowsPermission(ask: PermissionAsk, page: AppPage): boolean {
  if (PLAIN.has(ask.permission)) {
    return ask.requestingUrl !== undefined && isAppPageUrl(ask.requestingUrl, page);
  }
  const allowed = Object.hasOwn(ALLOWED, ask.permission) ? ALLOWED[ask.permission] : undefined;
  if (!allowed || ask.requestingUrl === undefined) return false;
  const kinds = ask.mediaTypes ?? [];
  if (kinds.length === 0 || !kinds.every((kind) => allowed.includes(kind))) return false;
  return isAppPageUrl(ask.requestingUrl, page);
}
