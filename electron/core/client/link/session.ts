/**
 * The remote control plane's small helpers: the server URL as the spec converts it, and
 * the session token kept on disk so a restarted app still acts as its own peer.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { ControlPlaneError } from '../../../../shared/protocol/errors';
import { PROTOCOL_VERSION, WS_PATH } from '../../../../shared/protocol/protocol';
import type { ClientMessageInput } from '../../../../shared/protocol/client-messages';
import { controlServerUrls } from '../../../../shared/values/server-url';
import { atomicWrite } from '../../state/atomic-write';
import { makeDirFor } from '../../state/make-dirs';
import type { HelloIdentity } from './challenge';
import type { Report } from '../../notices';
import { damageWords, moveAside, noFile, systemCode, writeWords } from '../../state/set-aside';
import { parseJsonText } from '../../state/json-text';

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

/**
 * The servers a control server setting names (several servers sharing one Redis): the one
 * in use, and the next to try when it cannot be reached or goes away. One session covers
 * them all, so it is saved under the whole list.
 */
export class ServerList {
  readonly urls: readonly string[];
  private index = 0;

  constructor(setting: string) {
    this.urls = (controlServerUrls(setting) ?? [setting]).map(toWebSocketUrl);
  }

  get current(): string {
    return this.urls[this.index]!;
  }

  /** The key the session token is saved under: the URL, or the list. */
  get sessionKey(): string {
    return this.urls.join(' ');
  }

  /** Moves on to the next server (round robin); a lone server stays itself. */
  next(): void {
    this.index = (this.index + 1) % this.urls.length;
  }
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
  const read = await readSessionFile(file);
  return read.ok && read.serverUrl === serverUrl ? read.token : null;
}

type SessionRead =
  { ok: true; serverUrl: string | null; token: string | null } | { ok: false; error: unknown };

/** A missing file is no session; one that cannot be read or parsed is `ok: false`. */
async function readSessionFile(file: string): Promise<SessionRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (noFile(error)) {
      return { ok: true, serverUrl: null, token: null };
    }
    return { ok: false, error };
  }
  try {
    const parsed = SessionFileSchema.safeParse(parseJsonText(text));
    if (parsed.success) {
      return { ok: true, serverUrl: parsed.data.server_url, token: parsed.data.session_token };
    }
    return { ok: false, error: parsed.error };
  } catch (error) {
    return { ok: false, error };
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

/**
 * The spec's hello, presenting our earlier session token (if any) to resume our peer ids,
 * and (1.2) the proof of our identity key, which gets them back even without the token.
 */
export function helloMessage(
  sessionToken: string | null,
  identity: HelloIdentity | null = null,
): ClientMessageInput {
  return {
    type: 'hello',
    version: PROTOCOL_VERSION,
    client: 'lanrage',
    ...(sessionToken ? { session_token: sessionToken } : {}),
    ...(identity ? { identity } : {}),
  };
}

/** This instance's session with one server: the token, loaded from and saved to disk. */
export class SavedSession {
  token: string | null = null;
  /**
   * The file holds a session with another server under this one's name: for a local host,
   * the folder of another instance copied here, whose parties stay that instance's.
   */
  heldElsewhere = false;
  private readonly file: string;
  /** The write in flight, if any; once closed, a token is kept in memory only. */
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  /** `fileName`: local-mode links keep theirs apart from the configured server's. */
  constructor(
    instanceDir: string,
    private readonly serverUrl: string,
    private readonly report: Report = () => {},
    fileName = SESSION_FILE,
  ) {
    this.file = join(instanceDir, fileName);
  }

  /**
   * A damaged file is kept aside and the user told: without its token the server may see
   * this app as a stranger to its own peer id until that session expires.
   */
  async load(): Promise<void> {
    const read = await readSessionFile(this.file);
    if (read.ok) {
      this.token = read.serverUrl === this.serverUrl ? read.token : null;
      this.heldElsewhere = read.serverUrl !== null && read.serverUrl !== this.serverUrl;
      return;
    }
    this.token = null;
    const result = await moveAside(this.file, Date.now());
    const kept = result.moved
      ? `LANrage kept it as ${result.aside} and starts a new session.`
      : `It could not be moved aside (${result.why}); LANrage starts a new session.`;
    this.report(
      `Your saved session with ${this.serverWords} (${this.file}) could not be read: ${damageWords(read.error)}. ${kept} ${this.afterLoss}`,
    );
  }

  /** Whether this is the configured server's session (not local hosts' ones). */
  private get configured(): boolean {
    return basename(this.file) === SESSION_FILE;
  }

  private get serverWords(): string {
    return this.configured ? "the party's server" : 'the party servers on this PC and LAN';
  }

  /**
   * What losing the token means. Local hosts are LANrage apps, whose servers give our peer ids
   * back for our identity key at once (this app's own too: EmbeddedServer.restore); "try
   * again in a few minutes" sent a host waiting for a party it had just ended.
   */
  private get afterLoss(): string {
    return this.configured
      ? 'If that server refuses your party, try again in a few minutes.'
      : 'Your identity key still proves your peer ID to them, so your parties go on.';
  }

  /**
   * Keeps the token the server's welcome gave us (written only when it changed). A write the
   * system refuses is told once and the token kept in memory: the party goes on, and only a
   * restart loses the session.
   */
  async adopt(token: string): Promise<void> {
    if (token === this.token) return;
    this.token = token;
    if (this.closed) return;
    this.writing = this.write(token);
    await this.writing;
  }

  /**
   * No write after this: a welcome answered as the app closed wrote the file after it had
   * quit (a test's folder removed under it, once, under load). Resolves once the write in
   * flight, if any, is done.
   */
  close(): Promise<void> {
    this.closed = true;
    return this.writing.catch(() => {});
  }

  private async write(token: string): Promise<void> {
    try {
      makeDirFor(this.file);
      await saveSessionToken(this.file, this.serverUrl, token);
    } catch (error) {
      if (systemCode(error) === null) throw error;
      this.report(
        `Your session with the server could not be saved to ${this.file}: ${writeWords(error)}. ` +
          'It lasts until LANrage closes.',
      );
    }
  }
}
