/**
 * What every bench entry point does the same way: flags parsed with node:util and checked
 * with zod (a bad flag: a message and exit 2; `--help`: the flags and exit 0), then run to the
 * end (exit 0) or a failure printed (exit 1), so that a stuck handle never keeps a bench alive.
 * The flags are read off the schema, so a flag and its check and its help are written once.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { plainFlagIssue, readFlagsWith, type FlagOptions } from '../../shared/node/cli-flags';

/** The schema under `.default()` and `.optional()`, which say nothing of the flag's kind. */
function inner(field: z.ZodType): z.ZodType {
  if (field instanceof z.ZodDefault || field instanceof z.ZodOptional) {
    return inner(field.unwrap() as z.ZodType);
  }
  return field;
}

/** A boolean is a switch, an array a flag given once per value, anything else one value. */
export function flagOptions(schema: z.ZodObject): FlagOptions {
  const options: FlagOptions = {};
  for (const [name, field] of Object.entries(schema.shape)) {
    const kind = inner(field as z.ZodType);
    if (kind instanceof z.ZodBoolean) options[name] = { type: 'boolean' };
    else if (kind instanceof z.ZodArray) options[name] = { type: 'string', multiple: true };
    else options[name] = { type: 'string' };
  }
  return options;
}

function defaultText(field: z.ZodType): string {
  if (!(field instanceof z.ZodDefault)) return '';
  const value: unknown = field.def.defaultValue;
  if (value === false || (Array.isArray(value) && value.length === 0)) return '';
  return ` (default ${Array.isArray(value) ? value.join(', ') : String(value)})`;
}

function describeOf(field: z.ZodType): string {
  return field.description ?? inner(field).description ?? '';
}

function argText(kind: z.ZodType): string {
  if (kind instanceof z.ZodBoolean) return '';
  if (kind instanceof z.ZodEnum) return ` ${kind.options.join('|')}`;
  const element = kind instanceof z.ZodArray ? (kind.element as z.ZodType) : kind;
  return element instanceof z.ZodEnum ? ` ${element.options.join('|')}` : ' VALUE';
}

/** `about` first, then one line a flag: its name, what it takes, what it does. */
export function helpText(bench: string, schema: z.ZodObject, about: string): string {
  // An npm script takes its flags after `--`; a plain command (the raw-ws baseline) directly.
  const command = bench.startsWith('bench:') ? `npm run ${bench} --` : bench;
  const lines = [`${command} [flags]`, '', about.trim(), '', 'Flags:'];
  for (const [name, field] of Object.entries(schema.shape)) {
    const f = field as z.ZodType;
    const kind = inner(f);
    const arg = argText(kind);
    const repeat = kind instanceof z.ZodArray ? ' (repeatable)' : '';
    lines.push(`  --${name}${arg}${repeat}`);
    lines.push(`      ${describeOf(f)}${defaultText(f)}`);
  }
  lines.push('  --help', '      this text');
  return lines.join('\n');
}

/**
 * The flags as the schema reads them; `--help` prints the help and exits 0, a bad flag says
 * so in one plain line and exits 2. The server's reader and zod wording (shared/node/cli-flags.ts):
 * `--hold-seconds -1` was node's three lines, and `--repeat 0` "Too small: expected number to
 * be >=1".
 */
export function parseFlags<S extends z.ZodObject>(
  bench: string,
  schema: S,
  about: string,
): z.output<S> {
  let values: Record<string, unknown>;
  try {
    const options = { ...flagOptions(schema), help: { type: 'boolean' as const } };
    values = readFlagsWith(parseArgs, process.argv.slice(2), options).values;
  } catch (error) {
    return flagProblem(bench, error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) {
    console.log(helpText(bench, schema, about));
    process.exit(0);
  }
  delete values.help;
  const parsed = schema.safeParse(values, { error: plainFlagIssue });
  if (!parsed.success) {
    // `--scale` for the whole repeatable flag, not zod's `scale.0`.
    const said = parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`);
    return flagProblem(bench, [...new Set(said)].join('; '));
  }
  return parsed.data;
}

/** A flag's value the bench cannot use: said in words, exit 2. */
export function flagProblem(bench: string, message: string): never {
  console.error(`${bench}: ${message} (--help lists the flags)`);
  process.exit(2);
}

export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
