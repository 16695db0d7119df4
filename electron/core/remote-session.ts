/**
 * The remote control plane's small helpers: the server URL as the spec converts it, and
 * the session token kept on disk so a restarted app still acts as its own peer.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ControlPlaneError } from '../../shared/errors';
import { PROTOCOL_VERSION, WS_PATH, type ClientMessageInput } from '../../shared/protocol';
import { atomicWrite } from './atomic-write';

/** http(s) becomes ws(s); `/ws` is appended unless the path already ends with it. */
export function toWebSocketUrl(serverUrl: string): string {
  let url: URL;
  try {
    url = new URL(serverUrl.trim());
  } catch {
    throw new ControlPlaneError(`Invalid control server URL: ${serverUrl}`, {
      code: 'bad_request',
      field: 'control_server',
    });
  }
  const schemes: Record<string, string> = {
    'http:': 'ws:',
    'https:': 'wss:',
    'ws:': 'ws:',
    'wss:': 'wss:',
  };
  const scheme = schemes[url.protocol];
  if (!scheme) {
    throw new ControlPlaneError(`Control server URL must be ws(s) or http(s): ${serverUrl}`, {
      code: 'bad_request',
      field: 'control_server',
    });
  }
  const path = url.pathname.replace(/\/+$/, '');
  const wsPath = path.endsWith(WS_PATH) ? path : `${path}${WS_PATH}`;
  return `${scheme}//${url.host}${wsPath}${url.search}`;
}

export const SESSION_FILE = 'control_session.json';

const SessionFileSchema = z.object({
  server_url: z.string(),
  session_token: z.string().min(16).max(128),
});

export function sessionFilePath(instanceDir: string): string {
  return join(instanceDir, SESSION_FILE);
}

/** The token saved for this server, or null (missing, corrupt, or for another server). */
export async function loadSessionToken(file: string, serverUrl: string): Promise<string | null> {
  try {
    const parsed = SessionFileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success && parsed.data.server_url === serverUrl
      ? parsed.data.session_token
      : null;
  } catch {
    return null;
  }
}

export async function saveSessionToken(
  file: string,
  serverUrl: string,
  token: string,
): Promise<void> {
  const data = JSON.stringify({ server_url: serverUrl, session_token: token }, null, 2);
  await atomicWrite(file, `${data}\n`, { mode: 0o600 });
}

/** The spec's hello, presenting our earlier session token (if any) to resume our peer ids. */
export function helloMessage(sessionToken: string | null): ClientMessageInput {
  return {
    type: 'hello',
    version: PROTOCOL_VERSION,
    client: 'lanrage',
    ...(sessionToken ? { session_token: sessionToken } : {}),
  };
}

/** This instance's session with one server: the token, loaded from and saved to disk. */
export class SavedSession {
  token: string | null = null;
  private readonly file: string;

  constructor(
    instanceDir: string,
    private readonly serverUrl: string,
  ) {
    this.file = sessionFilePath(instanceDir);
  }

  async load(): Promise<void> {
    this.token = await loadSessionToken(this.file, this.serverUrl);
  }

  /** Keeps the token the server's welcome gave us (written only when it changed). */
  async adopt(token: string): Promise<void> {
    if (token === this.token) return;
    this.token = token;
    await mkdir(dirname(this.file), { recursive: true });
    await saveSessionToken(this.file, this.serverUrl, token);
  }
}
