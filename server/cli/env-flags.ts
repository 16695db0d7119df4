/**
 * Every server flag may also be set in the environment, `--max-unsent-kib` as
 * `LANRAGE_SERVER_MAX_UNSENT_KIB`; a flag on the command line wins. Compose merges an overlay
 * file's `environment` into the base file's but replaces its `command`, so with the flags in
 * `command` the relay overlay had to repeat the base's flags and could not be combined with
 * another overlay (the moderation API's); systemd's `EnvironmentFile` and Kubernetes' `env`
 * read the same way.
 */
import type { ReadFlags } from './flags';

export const SERVER_ENV_PREFIX = 'LANRAGE_SERVER_';

/** `--turn-secret-file` → `LANRAGE_SERVER_TURN_SECRET_FILE`. */
export function envName(flag: string): string {
  return SERVER_ENV_PREFIX + flag.toUpperCase().replaceAll('-', '_');
}

/** Where each value came from, to name it in an error as the operator wrote it. */
export interface FlagValues {
  values: ReadFlags['values'];
  /** The flags whose value came from the environment. */
  fromEnv: ReadonlySet<string>;
}

/**
 * The flags given, then for each flag not given its variable. An empty variable counts as
 * unset, as Compose's `${VAR:-}` passes an optional one. With `strict`, a `LANRAGE_SERVER_`
 * variable naming no flag is refused: a typo (`LANRAGE_SERVER_PROT`) was silently ignored.
 * @throws Error with one line fit for the terminal.
 */
export function withEnv(
  given: ReadFlags['values'],
  names: readonly string[],
  env: NodeJS.ProcessEnv,
  strict: boolean,
): FlagValues {
  if (strict) refuseUnknown(names, env);
  const values = { ...given };
  const fromEnv = new Set<string>();
  for (const name of names) {
    const text = env[envName(name)];
    if (values[name] !== undefined || text === undefined || text === '') continue;
    values[name] = text;
    fromEnv.add(name);
  }
  return { values, fromEnv };
}

function refuseUnknown(names: readonly string[], env: NodeJS.ProcessEnv): void {
  const known = new Set(names.map(envName));
  const unknown = Object.keys(env)
    .filter((key) => key.startsWith(SERVER_ENV_PREFIX) && !known.has(key))
    .sort();
  if (unknown.length === 0) return;
  throw new Error(
    `${unknown.join(', ')}: not a server setting (each flag's variable is its name, ` +
      `e.g. ${envName('port')} for --port; see --help)`,
  );
}

/** How an error names a flag: `--port`, or `LANRAGE_SERVER_PORT` when it came from there. */
export function flagLabel(flag: string, read: FlagValues): string {
  return read.fromEnv.has(flag) ? envName(flag) : `--${flag}`;
}

/**
 * `--redis`'s URL may hold a password: an error about it never repeats it. `--turn-url`'s and
 * `--trusted-proxy`'s errors name the address at fault themselves.
 */
const NOT_QUOTED: ReadonlySet<string> = new Set(['redis', 'turn-url', 'trusted-proxy']);
const MAX_QUOTED_CHARS = 60;

/**
 * The flag and the value it refused, quoted as JSON: `LANRAGE_SERVER_LOG_LEVEL "\"warn\""`.
 * Unquoted, what a Docker `--env-file` kept (the quotes) or a trailing blank was invisible,
 * and "must be one of debug, info, …" read as if `warn` had been refused. Long values are
 * cut (`…` after the quote); control characters come out escaped, so a value cannot move the
 * terminal's cursor.
 */
export function refusedFlag(flag: string, read: FlagValues): string {
  const label = flagLabel(flag, read);
  const value = read.values[flag];
  if (typeof value !== 'string' || NOT_QUOTED.has(flag)) return label;
  const cut = value.length > MAX_QUOTED_CHARS;
  return `${label} ${JSON.stringify(cut ? value.slice(0, MAX_QUOTED_CHARS) : value)}${cut ? '…' : ''}`;
}
