/**
 * What counts as a control server URL, for Settings (renderer and main) and config.json:
 * ws, wss, http or https with a host and a valid port. Checked with the WHATWG URL parser, so
 * a port out of range or a stray space is refused at the form, not when connecting.
 */
const SCHEMES = new Set(['ws:', 'wss:', 'http:', 'https:']);

export function isControlServerUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return SCHEMES.has(url.protocol) && url.hostname !== '';
}

/** "ws://host:8667/ws" → "host:8667": the part of a server address a gamer recognises. */
export function serverName(url: string | null): string {
  if (url === null) return 'the server';
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
