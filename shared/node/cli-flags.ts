/**
 * Command-line flags read with node's parseArgs but said plainly, for every CLI: the server
 * (server/cli/flags.ts), the headless app (electron/headless/cli.ts) and the benches
 * (bench/lib/cli.ts). parseArgs' own messages ran to three lines ("argument is ambiguous. Did
 * you forget…") for `--port` with no value and for `--port -1`, and a flag given twice
 * silently took its last value. shared/ runs in the browser too and may not import node:util,
 * so each caller hands parseArgs in; zod's words ("Too small: expected number to be >=1") are
 * made plain here as well.
 */
import type { z } from 'zod';

export interface FlagOption {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
}
export type FlagOptions = Record<string, FlagOption>;
type FlagValue = string | boolean | (string | boolean)[] | undefined;

/** What node:util's parseArgs is given and gives back, as far as this file uses it. */
export type ParseArgs = (config: {
  args: string[];
  options: FlagOptions;
  strict: true;
  allowPositionals: boolean;
  tokens: true;
}) => {
  values: Record<string, FlagValue>;
  positionals: string[];
  tokens?: readonly { kind: string; name?: string }[];
};

export interface ReadFlags {
  values: Record<string, FlagValue>;
  positionals: string[];
}

/**
 * `--flag -1` reads as the flag's value: parseArgs takes `-1` for a short option, so a
 * negative number was refused as a missing value instead of by its flag's rule.
 */
function negativeNumbersInline(argv: readonly string[], options: FlagOptions): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const takesValue = arg.startsWith('--') && options[arg.slice(2)]?.type === 'string';
    if (takesValue && /^-[\d.]/.test(next ?? '')) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** parseArgs' error as one line naming the flag (its long name: "'-h, --help'" is --help). */
function plainParseError(error: unknown): Error {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(?:-\w, )?(-[^' <]*)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new Error(
      `${flag}: ${/does not take/.test(message) ? 'takes no value' : 'needs a value'}`,
    );
  }
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new Error(`Unknown option '${flag}'`);
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']*)'/.exec(message)?.[1] ?? '';
    return new Error(`Unexpected argument '${arg}': this command takes flags only`);
  }
  return new Error(message.split('\n')[0] ?? message);
}

/**
 * `options` read from `argv` by `parse` (node:util's parseArgs), each flag at most once
 * unless it is `multiple`, and plain arguments when `positionals`.
 * @throws Error with one line fit for the terminal.
 */
export function readFlagsWith(
  parse: ParseArgs,
  argv: readonly string[],
  options: FlagOptions,
  positionals = false,
): ReadFlags {
  let parsed: ReturnType<ParseArgs>;
  try {
    parsed = parse({
      args: negativeNumbersInline(argv, options),
      options,
      strict: true,
      allowPositionals: positionals,
      tokens: true,
    });
  } catch (error) {
    throw plainParseError(error);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option' || !token.name || options[token.name]?.multiple) continue;
    if (seen.has(token.name)) throw new Error(`--${token.name}: given more than once`);
    seen.add(token.name);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/**
 * A zod error map (`schema.safeParse(v, { error: plainFlagIssue })`) for flags: a rule with
 * words of its own keeps them; zod's defaults ("Invalid input: expected number, received NaN",
 * "Too small: expected number to be >=1") are said plainly.
 */
export function plainFlagIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters`
        : `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${issue.maximum}`;
    case 'invalid_type':
      if (issue.expected === 'int') return 'must be a whole number';
      return issue.expected === 'number' ? 'must be a number' : undefined;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return undefined;
  }
}
