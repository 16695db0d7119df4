/**
 * The server's command lines' flags: strings, each at most once, said plainly (the shared
 * reader, shared/node/cli-flags.ts, which the headless app and the benches use too).
 */
import { parseArgs } from 'node:util';
import { readFlagsWith, type FlagOptions } from '../../shared/node/cli-flags';

export interface ReadFlags {
  values: Record<string, string | undefined>;
  positionals: string[];
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
  const options: FlagOptions = Object.fromEntries(names.map((n) => [n, { type: 'string' }]));
  // Every option is a single string, so every value read is one.
  return readFlagsWith(parseArgs, argv, options, positionals) as ReadFlags;
}

/** `--help` or `-h` among the flags (not after a `--`): the command's help, exit 0. */
export function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
