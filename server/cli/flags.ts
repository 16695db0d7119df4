/**
 * The command lines' flags, read with node's parseArgs but said plainly: its own messages ran
 * to three lines ("argument is ambiguous. Did you forget…") for `--port` with no value and for
 * `--rate-limit -1`, and a flag given twice silently took its last value.
 */
import { parseArgs } from 'node:util';

export interface ReadFlags {
  values: Record<string, string | undefined>;
  positionals: string[];
}

/**
 * `--flag -1` reads as the flag's value: parseArgs takes `-1` for a short option, so an
 * operator's negative number was refused as a missing value instead of by its flag's rule.
 */
function negativeNumbersInline(argv: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (names.includes(arg.slice(2)) && arg.startsWith('--') && /^-[\d.]/.test(next ?? '')) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** parseArgs' error as one line naming the flag. */
function plainParseError(error: unknown): Error {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-[^' <]*)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new Error(`${flag}: needs a value`);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new Error(`Unknown option '${flag}'`);
  return new Error(message.split('\n')[0] ?? message);
}

/**
 * String flags `names` (each at most once) and, when `positionals`, plain arguments.
 * @throws Error with one line fit for the terminal.
 */
export function readFlags(
  argv: readonly string[],
  names: readonly string[],
  positionals = false,
): ReadFlags {
  const options = Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));
  const read = (): ReturnType<typeof parseArgs> =>
    parseArgs({
      args: negativeNumbersInline(argv, names),
      options,
      strict: true,
      allowPositionals: positionals,
      tokens: true,
    });
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = read();
  } catch (error) {
    throw plainParseError(error);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new Error(`--${token.name}: given more than once`);
    seen.add(token.name);
  }
  return { values: parsed.values as ReadFlags['values'], positionals: parsed.positionals };
}

/** `--help` or `-h` among the flags (not after a `--`): the command's help, exit 0. */
export function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
