/**
 * `--turn-url`, `--turn-secret-file`, `--turn-ttl`: the operator's TURN relay (coturn with
 * `use-auth-secret`), whose short-lived credentials `get_relay` hands the members of a party
 * (server/relay/). The secret is read from a file like the admin token: a flag's value is in
 * `ps` for every local user, and with the secret anyone could mint credentials for the relay.
 */
import { z } from 'zod';
import {
  DEFAULT_RELAY_TTL_SECONDS,
  MAX_RELAY_TTL_SECONDS,
  MAX_RELAY_URLS,
  MIN_RELAY_TTL_SECONDS,
  RelayUrlSchema,
} from '../../shared/protocol/relay';
import type { RelayOptions } from '../relay/turn-credentials';
import { readSecretFile } from './secret-file';

/**
 * A member is handed a credential, the HMAC of a known username: a short secret could be
 * found from it offline, and then anyone could mint credentials for the relay for ever.
 */
export const MIN_TURN_SECRET_LENGTH = 32;

/** `turn:a:3478,turns:a:5349?transport=tcp`: each checked, one line naming the bad one. */
const TurnUrlsSchema = z.string().transform((text, ctx) => {
  const urls = text.split(',').map((url) => url.trim());
  for (const url of urls) {
    const error = turnUrlError(url, urls);
    if (error === null) continue;
    ctx.addIssue({ code: 'custom', message: error });
    return z.NEVER;
  }
  if (urls.length > MAX_RELAY_URLS) {
    ctx.addIssue({ code: 'custom', message: `at most ${MAX_RELAY_URLS} addresses` });
    return z.NEVER;
  }
  return urls;
});

function turnUrlError(url: string, urls: readonly string[]): string | null {
  if (url === '') return 'an empty address (a comma too many?)';
  // Said plainly before the pattern's catch-all message (shared/protocol/relay.ts refuses it too).
  const port = /^turns?:(?:\[[^\]]*\]|[^:?]*):(\d+)/.exec(url)?.[1];
  if (port !== undefined && Number(port) > 65535) return `${url}: the port must be 1–65535`;
  const checked = RelayUrlSchema.safeParse(url);
  if (!checked.success) {
    return `${url}: ${checked.error.issues[0]?.message ?? 'not a TURN address'}`;
  }
  return urls.indexOf(url) === urls.lastIndexOf(url) ? null : `${url}: given twice`;
}

const ttlBounds = `must be ${MIN_RELAY_TTL_SECONDS}–${MAX_RELAY_TTL_SECONDS} seconds`;

/** The flags' schemas, spread into CliArgsSchema. No default: `--turn-ttl` alone is refused. */
export const TURN_FLAGS = {
  /** The relay's addresses as clients reach it, comma-separated. */
  'turn-url': TurnUrlsSchema.optional(),
  /** The secret coturn has as `static-auth-secret` (mode 600). */
  'turn-secret-file': z.string().min(1).optional(),
  /** Seconds the credentials handed out last. */
  'turn-ttl': z
    .string()
    .refine((text) => !text.startsWith('-'), 'must not be negative')
    .regex(/^\d{1,9}$/, 'must be a whole number of seconds')
    .transform(Number)
    .pipe(z.number().min(MIN_RELAY_TTL_SECONDS, ttlBounds).max(MAX_RELAY_TTL_SECONDS, ttlBounds))
    .optional(),
};

type TurnValues = {
  'turn-url'?: string[] | undefined;
  'turn-secret-file'?: string | undefined;
  'turn-ttl'?: number | undefined;
};

/** The one refusal for a half-given relay, with the flag it names; null when consistent. */
export function turnFlagsMismatch(a: TurnValues): { path: string; message: string } | null {
  const url = a['turn-url'] !== undefined;
  const secret = a['turn-secret-file'] !== undefined;
  if (url && !secret) {
    return { path: 'turn-url', message: 'needs --turn-secret-file (the secret the relay has)' };
  }
  if (secret && !url) {
    return { path: 'turn-secret-file', message: 'needs --turn-url (the relay it is for)' };
  }
  if (a['turn-ttl'] !== undefined && !url) {
    return { path: 'turn-ttl', message: 'needs --turn-url and --turn-secret-file' };
  }
  return null;
}

/** What the flags name; the secret is read at start (readTurnSecret). */
export interface TurnFlags {
  urls: string[];
  secretFile: string;
  ttlSeconds: number;
}

export function turnFlagsFrom(a: TurnValues): TurnFlags | null {
  const urls = a['turn-url'];
  const secretFile = a['turn-secret-file'];
  if (urls === undefined || secretFile === undefined) return null;
  return { urls, secretFile, ttlSeconds: a['turn-ttl'] ?? DEFAULT_RELAY_TTL_SECONDS };
}

/**
 * The relay with its secret, trimmed: coturn drops the blanks at the end of its config's
 * `static-auth-secret=` line, so with a secret file ending in a space every credential this
 * server handed out would be refused.
 * @throws Error naming the flag and the file, fit for the terminal; never the secret.
 */
export function readTurnRelay(turn: TurnFlags): RelayOptions {
  const flag = '--turn-secret-file';
  const file = turn.secretFile;
  const hint = ` (e.g. openssl rand -hex 32 > ${file})`;
  const secret = readSecretFile(file, flag, { hint }).trim();
  if (secret.length < MIN_TURN_SECRET_LENGTH) {
    const least =
      secret === '' ? 'is empty' : `must be at least ${MIN_TURN_SECRET_LENGTH} characters`;
    throw new Error(`${flag} ${file}: the secret ${least}${hint}`);
  }
  return { urls: turn.urls, secret, ttlSeconds: turn.ttlSeconds };
}
