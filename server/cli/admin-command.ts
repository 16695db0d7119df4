/**
 * `npm run server -- admin parties|end-party ID [--url URL] --token-file FILE`: the
 * operator's moderation API (server/admin/) from a terminal. Every failure is one line
 * (server/cli.ts prints it and exits 2).
 */
import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import {
  AdminEndedSchema,
  AdminPartiesSchema,
  type AdminPartyDict,
} from '../../shared/protocol/admin';
import { PartyIdSchema } from '../../shared/values/ids';
import { ListeningPortTextSchema } from '../../shared/values/port';
import { DEFAULT_SERVER_PORT } from '../../shared/values/server-url';
import { readAdminToken } from '../admin/token-file';
import { envName } from './env-flags';
import { readFlags } from './flags';

/** Where `admin` asks when neither --url nor the server's environment says. */
export const DEFAULT_ADMIN_URL = `http://127.0.0.1:${DEFAULT_SERVER_PORT}`;
const ADMIN_USAGE = 'Usage: admin parties|end-party PARTY_ID [--url URL] --token-file FILE';
/** `admin --help`: it used to be refused as an unknown option, exit 2. */
export const ADMIN_HELP = `usage: npm run server -- admin parties|end-party PARTY_ID [--url URL] --token-file FILE
(a built server: node cli.js admin …)

Asks a running server's moderation API (started with --admin-token-file).
  parties            lists every party: id, name, host, members, visibility, join policy
  end-party ID       ends that party for every member, as its host would
  --url URL          the server (the ws:// URL it prints works); default ${DEFAULT_ADMIN_URL},
                     or the port, host and https of $${envName('port')}, $${envName('host')}
                     and $${envName('tls-cert')} when set
  --token-file FILE  the server's admin secret (default: $${envName('admin-token-file')})`;
const TIMEOUT_MS = 10_000;
const MAX_ANSWER_CHARS = 16 * 1024 * 1024;

/** The server's URL: http(s), or the ws(s) one it prints on start; only its origin counts. */
const ServerUrlSchema = z.string().transform((text, ctx) => {
  try {
    const url = new URL(text);
    const scheme = { 'http:': 'http:', 'ws:': 'http:', 'https:': 'https:', 'wss:': 'https:' }[
      url.protocol
    ];
    if (scheme) return `${scheme}//${url.host}`;
  } catch {
    // Said below, as for a URL of another scheme.
  }
  ctx.addIssue({ code: 'custom', message: `must be an http(s) URL, e.g. ${DEFAULT_ADMIN_URL}` });
  return z.NEVER;
});

/** What a server may put in a name does not get to move the terminal's cursor. */
const printable = (text: string): string => text.replace(/\p{Cc}/gu, '?');

export type AdminCommand = { url: string; tokenFile: string } & Command;

/**
 * `--token-file` defaults to the server's own (`LANRAGE_SERVER_ADMIN_TOKEN_FILE`), so in the
 * server's container or unit `admin parties` needs no flag.
 * @throws Error with a message fit for the terminal.
 */
export function parseAdminArgs(argv: string[], env: NodeJS.ProcessEnv = {}): AdminCommand {
  try {
    return parseOrThrow(argv, env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message.replace(/\.?$/, '')}. ${ADMIN_USAGE}`, { cause: error });
  }
}

/**
 * Where the server of this environment listens: in its container or unit the server's own
 * variables say it. `-e LANRAGE_SERVER_PORT=9000` (README's way to move the port) sent the
 * CLI to the default port all the same, and a server with a certificate was asked over plain
 * http.
 */
function defaultUrl(env: NodeJS.ProcessEnv): string {
  const portText = env[envName('port')] || undefined;
  const port = ListeningPortTextSchema.safeParse(portText ?? String(DEFAULT_SERVER_PORT));
  if (!port.success) {
    const why = port.error.issues[0]?.message ?? 'invalid';
    throw new Error(`${envName('port')} ${JSON.stringify(portText)}: ${why}; give --url`);
  }
  const host = env[envName('host')] || '0.0.0.0';
  // A server on every interface is reached on loopback.
  const near = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const scheme = env[envName('tls-cert')] ? 'https' : 'http';
  return `${scheme}://${near.includes(':') ? `[${near}]` : near}:${port.data}`;
}

function parseOrThrow(argv: string[], env: NodeJS.ProcessEnv): AdminCommand {
  const { values, positionals } = readFlags(argv, ['url', 'token-file'], true);
  // The command first: without one, asking for the token file hid what was missing.
  const command = commandOf(positionals);
  const url = ServerUrlSchema.safeParse(values.url ?? defaultUrl(env));
  if (!url.success) throw new Error(`--url: ${url.error.issues[0]?.message ?? 'invalid'}`);
  const tokenFile = values['token-file'] ?? (env[envName('admin-token-file')] || undefined);
  if (!tokenFile) {
    throw new Error(`--token-file FILE is required (or ${envName('admin-token-file')} set)`);
  }
  return { url: url.data, tokenFile, ...command };
}

type Command = { command: 'parties' } | { command: 'end-party'; partyId: string };

function commandOf(positionals: string[]): Command {
  const [command, id, ...extra] = positionals;
  if (command === 'parties' && id === undefined) return { command };
  if (command === 'end-party' && id !== undefined && extra.length === 0) {
    const partyId = PartyIdSchema.safeParse(id);
    if (!partyId.success) throw new Error(`${printable(id)} is not a party id`);
    return { command, partyId: partyId.data };
  }
  if (command === undefined) throw new Error('a command is required: parties or end-party');
  if (command !== 'parties' && command !== 'end-party') {
    throw new Error(`unknown command "${printable(command)}"`);
  }
  throw new Error(`wrong arguments for ${command}`);
}

/**
 * The request's error code, and what to do where one is likely: a server with a self-signed
 * certificate answered "DEPTH_ZERO_SELF_SIGNED_CERT", and http:// to a TLS server "ECONNRESET".
 */
function whyUnreachable(error: unknown, url: string): string {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  if (/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) {
    return `${code}: its certificate is not trusted; give its CA with NODE_EXTRA_CA_CERTS=ca.pem`;
  }
  if (/ALTNAME/.test(code)) {
    return `${code}: its certificate does not name ${new URL(url).hostname}; give --url with the name it has`;
  }
  if (url.startsWith('http:') && /ECONNRESET|HPE_/.test(code)) {
    return `${code}: if the server has --tls-cert, use https://`;
  }
  return code;
}

export function partyTable(parties: readonly AdminPartyDict[]): string {
  if (parties.length === 0) return 'No parties.';
  const head = ['PARTY ID', 'NAME', 'HOST', 'PEERS', 'VISIBILITY', 'JOIN', 'LOCKED', 'CREATED'];
  const rows = parties.map((p) => [
    p.party_id,
    printable(p.name),
    printable(p.host_name),
    `${p.peer_count}/${p.max_peers}`,
    p.visibility,
    p.join_policy,
    p.locked ? 'yes' : 'no',
    p.created_at,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

/** Why the server said no, in words; `what` names the request's object. */
function refusal(status: number, what: string, retryAfter: string | null): Error {
  const words: Record<number, string> = {
    401: 'the server refused the token (401): check --token-file',
    404: `${what} not found (404)`,
    426: 'the server does not serve the moderation API: start it with --admin-token-file',
    429: `too many wrong tokens from this address (429); try again in ${retryAfter ?? '10'} s`,
    503: 'the server could not store the change (503); try again',
  };
  return new Error(words[status] ?? `the server answered HTTP ${status}`);
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: string;
}

/**
 * node:http rather than fetch: fetch refuses ports browsers block (6665-6669, 6000…), on
 * which a server may well listen. Answers are small; the body is capped all the same.
 */
function request(url: URL, method: string, token: string): Promise<Answer> {
  const get = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = get(url, { method, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_ANSWER_CHARS) req.destroy(new Error('answer too large'));
      });
      res.on('end', () => {
        const retry = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: retry ?? null, body });
      });
      res.on('error', reject);
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error('no answer in 10 s')));
    req.on('error', reject);
    req.end();
  });
}

async function call(cmd: AdminCommand, method: string, path: string): Promise<unknown> {
  const token = readAdminToken(cmd.tokenFile, '--token-file');
  let res: Answer;
  try {
    res = await request(new URL(path, cmd.url), method, token);
  } catch (error) {
    throw new Error(`cannot reach ${cmd.url} (${whyUnreachable(error, cmd.url)})`, {
      cause: error,
    });
  }
  const what = cmd.command === 'end-party' ? `party ${cmd.partyId}` : path;
  if (res.status < 200 || res.status > 299) throw refusal(res.status, what, res.retryAfter);
  try {
    return JSON.parse(res.body) as unknown;
  } catch (error) {
    throw new Error(`${cmd.url} did not answer JSON: is it a LANrage server?`, { cause: error });
  }
}

/** Runs the command; resolves with what to print. @throws Error fit for the terminal. */
export async function runAdmin(cmd: AdminCommand): Promise<string> {
  if (cmd.command === 'parties') {
    const parsed = AdminPartiesSchema.safeParse(await call(cmd, 'GET', '/admin/parties'));
    if (!parsed.success) throw new Error('the server answered a party list this CLI cannot read');
    return partyTable(parsed.data);
  }
  const path = `/admin/parties/${encodeURIComponent(cmd.partyId)}/end`;
  const parsed = AdminEndedSchema.safeParse(await call(cmd, 'POST', path));
  if (!parsed.success) throw new Error('the server answered something this CLI cannot read');
  return `Ended party ${parsed.data.party_id}: its members were told the server ended it.`;
}
