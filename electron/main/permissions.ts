/**
 * The one permission the app's page may have: the microphone, for voice chat. Nothing else
 * (camera, screen, notifications through the page, geolocation…), and nothing for any page
 * but the app's own. Pure, so it is tested in Node; window.ts hands Electron's asks to it.
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

export function allowsPermission(ask: PermissionAsk, page: AppPage): boolean {
  if (ask.permission !== 'media' || ask.requestingUrl === undefined) return false;
  const kinds = ask.mediaTypes ?? [];
  if (kinds.length === 0 || !kinds.every((kind) => kind === 'audio')) return false;
  return isAppPageUrl(ask.requestingUrl, page);
}
