/**
 * What counts as a control server URL, for Settings (renderer and main) and config.json:
 * ws, wss, http or https with a host and a valid port. Checked with the WHATWG URL parser, so
 * a port out of range or a stray space is refused at the form, not when connecting.
 * Several servers that share one Redis may be given as a list, `wss://a, wss://b`: the app
 * uses one and moves to the next when it cannot reach it.
 */
import { z } from 'zod';

const SCHEMES = new Set(['ws:', 'wss:', 'http:', 'https:']);

/** What a form says of a setting that is not a control server URL. */
export const SERVER_URL_MESSAGE =
  'Control server must be host:port or a ws://, wss://, http:// or https:// URL';

/** What a form says of a server address with a user name or password in it. */
export const SERVER_CREDENTIALS_MESSAGE =
  'Remove the user name and password from the control server address (user:pass@): ' +
  'LANrage never sends them';

/** At most this many servers in one list. */
export const MAX_CONTROL_SERVERS = 8;

/** The longest control server setting (a list included), in characters. */
export const MAX_CONTROL_SERVER_LENGTH = 512;

const TOO_LONG = (length: number): string =>
  `Control server address must be at most ${MAX_CONTROL_SERVER_LENGTH} characters ` +
  `(this one has ${length})`;

/**
 * A control server address as typed (in Settings, the welcome or a test): trimmed, refused in
 * words when too long, then read with the default scheme. Callers add what counts as valid.
 */
export const ControlServerTextSchema = z
  .string()
  .trim()
  .max(MAX_CONTROL_SERVER_LENGTH, {
    error: (issue) => TOO_LONG(typeof issue.input === 'string' ? issue.input.length : 0),
  })
  .transform(withDefaultScheme);

/** The port `npm run server` listens on unless told otherwise. */
export const DEFAULT_SERVER_PORT = 8667;

/**
 * What a gamer types, as a URL: "192.168.1.5" or "lan.example.org:9000" (no scheme) become
 * "ws://192.168.1.5:8667" and "ws://lan.example.org:9000"; anything with a scheme, and a
 * list's other entries, stay as they are.
 */
export function withDefaultScheme(text: string): string {
  return text
    .trim()
    .split(/\s*,\s*/)
    .map((entry) => {
      if (entry === '' || entry.includes('://')) return entry;
      return /:\d+(\/|$)/.test(entry) ? `ws://${entry}` : `ws://${entry}:${DEFAULT_SERVER_PORT}`;
    })
    .join(', ');
}

/** The servers a control server setting names, in order; null when it is not valid. */
export function controlServerUrls(text: string): string[] | null {
  const urls = text.trim().split(/\s*,\s*/);
  if (urls.length > MAX_CONTROL_SERVERS || !urls.every(isOneUrl)) return null;
  return new Set(urls).size === urls.length ? urls : null;
}

/** Whether a server of the setting (one URL or a list) holds a user name or password. */
export function holdsCredentials(text: string): boolean {
  return (controlServerUrls(text) ?? []).some((u) => {
    const url = new URL(u);
    return url.username !== '' || url.password !== '';
  });
}

/** One server URL, or a list of them (see controlServerUrls). */
export function isControlServerUrl(text: string): boolean {
  return controlServerUrls(text) !== null;
}

function isOneUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  // Port 0 means "any free port" to a listener; no server can be reached on it.
  return SCHEMES.has(url.protocol) && url.hostname !== '' && url.port !== '0';
}

/**
 * "ws://host:8667/ws" → "host:8667": the part of a server address a gamer recognises; a list
 * gives "a:8667 or b:8667".
 */
export function serverName(url: string | null): string {
  if (url === null) return 'the server';
  const urls = url.includes(',') ? controlServerUrls(url) : null;
  if (urls) return urls.map((u) => serverName(u)).join(' or ');
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** `wss:` and `https:` reach a server over TLS, `ws:` and `http:` without. */
const SECURE = new Set(['wss:', 'https:']);

/**
 * This PC's own names: a server host who set `ws://localhost:8667` and opens its join page at
 * `http://127.0.0.1:8667` means one server (other loopback addresses may be other servers).
 */
const THIS_PC = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The servers a control server setting reaches without TLS (`ws:`, `http:`, a bare host:port)
 * beyond this PC, as a gamer reads them: whoever shares a network on the way reads what the app
 * sends there, party passwords and the session included. Empty for an invalid setting.
 */
export function unencryptedServers(text: string): string[] {
  const urls = controlServerUrls(withDefaultScheme(text)) ?? [];
  return urls
    .filter((url) => {
      const parsed = new URL(url);
      return !SECURE.has(parsed.protocol) && !THIS_PC.has(parsed.hostname);
    })
    .map((url) => serverName(url));
}

/** A URL's server as `s|host:port` or `|host:port` (default ports folded by URL); null: not one. */
function serverKey(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (!SCHEMES.has(parsed.protocol)) return null;
    // ws:80 and http:80 are one server, and so are wss:443 and https:443.
    const defaultPort = SECURE.has(parsed.protocol) ? '443' : '80';
    const port = parsed.port === '' ? defaultPort : parsed.port;
    const host = THIS_PC.has(parsed.hostname) ? 'localhost' : parsed.hostname;
    return `${SECURE.has(parsed.protocol) ? 's' : ''}|${host}:${port}`;
  } catch {
    return null;
  }
}

/**
 * Whether the configured control server (null: none; maybe a list) is the server `url`
 * names: the same host and port, both with TLS or both without; the path aside.
 */
export function usesServer(configured: string | null, url: string): boolean {
  const key = serverKey(url);
  if (key === null || configured === null) return false;
  return (controlServerUrls(configured) ?? []).some((u) => serverKey(u) === key);
}

/**
 * Addresses that on a friend's PC reach that PC: loopback (URL has already folded 127.1 and
 * 2130706433 to 127.0.0.1, and ::ffff:127.0.0.1 to ::ffff:7f..), *.localhost, and "any".
 */
const LOOPBACK =
  /^((.+\.)?localhost(\.localdomain)?\.?|127\.\d+\.\d+\.\d+|\[::1\]|\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]|0\.0\.0\.0|\[::\]|\[::ffff:0:0\])$/i;

/**
 * The server address an invite can carry to friends: the configured one (the first of a
 * list), unless it is this machine's loopback, which on a friend's PC is their own, or it
 * holds a user name or password: that would go into a chat, and a friend's LANrage reads a
 * link naming such a server as damaged (shared/invite.ts), so the invite names none.
 */
export function shareableServer(configured: string | null): string | null {
  const first = configured === null ? undefined : controlServerUrls(configured)?.[0];
  if (first === undefined) return null;
  const url = new URL(first);
  if (url.username !== '' || url.password !== '') return null;
  return namesThisPc(first) ? null : first;
}

/** Whether a server URL names the PC that reads it: its loopback, or the "any" address. */
export function namesThisPc(server: string): boolean {
  try {
    return LOOPBACK.test(new URL(server).hostname);
  } catch {
    return false;
  }
}
