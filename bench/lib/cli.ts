/**
 * What every bench entry point does the same way: flags parsed with node:util and checked
 * with zod (a bad flag: a message and exit 2), then run to the end (exit 0) or a failure
 * printed (exit 1), so that a stuck handle never keeps a bench alive.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';

export function parseFlags<S extends z.ZodType>(
  bench: string,
  options: NonNullable<ParseArgsConfig['options']>,
  schema: S,
): z.output<S> {
  let values: unknown;
  try {
    values = parseArgs({ options }).values;
  } catch (error) {
    return usage(bench, error instanceof Error ? error.message : String(error));
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    return usage(
      bench,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}

function usage(bench: string, message: string): never {
  console.error(`${bench}: ${message}`);
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
