import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseArgs } from 'node:util';
import { readFlagsWith } from '../../shared/node/cli-flags';
import { flagOptions, helpText } from './cli';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const Schema = z.object({
  smoke: z.boolean().default(false).describe('small'),
  scale: z.array(z.string()).default([]).describe('N/R'),
  repeat: z.coerce.number().int().default(3).describe('pairs'),
  store: z.enum(['sqlite', 'memory']).default('sqlite').describe('which store'),
  only: z
    .array(z.enum(['a', 'b']))
    .default([])
    .describe('one attack'),
  out: z.string().optional().describe('results JSON'),
});

describe('flagOptions', () => {
  it('makes a boolean a switch, an array a repeatable flag and anything else one value', () => {
    expect(flagOptions(Schema)).toEqual({
      smoke: { type: 'boolean' },
      scale: { type: 'string', multiple: true },
      repeat: { type: 'string' },
      store: { type: 'string' },
      only: { type: 'string', multiple: true },
      out: { type: 'string' },
    });
  });
});

describe('readFlagsWith (shared/node/cli-flags.ts)', () => {
  const options = flagOptions(Schema);
  it('takes a repeatable flag once per value, and a negative number as a value', () => {
    const argv = ['--scale', '-5/8', '--scale=9/2', '--repeat', '-1', '--smoke'];
    expect(readFlagsWith(parseArgs, argv, options).values).toEqual({
      scale: ['-5/8', '9/2'],
      repeat: '-1',
      smoke: true,
    });
  });

  it('names a flag with a short form by its long name; a plain argument where none is taken', () => {
    const help = { help: { type: 'boolean', short: 'h' } } as const;
    expect(() => readFlagsWith(parseArgs, ['-h', '--help'], help)).toThrow(
      /^--help: given more than once$/,
    );
    expect(() => readFlagsWith(parseArgs, ['--help=1'], help)).toThrow(/^--help: takes no value$/);
    expect(() => readFlagsWith(parseArgs, ['x'], help)).toThrow(
      /^Unexpected argument 'x': this command takes flags only$/,
    );
  });
});

describe('helpText', () => {
  const text = helpText('bench:x', Schema, 'What bench:x measures.');

  it('starts with the command and what the bench is', () => {
    expect(text.split('\n').slice(0, 3)).toEqual([
      'npm run bench:x -- [flags]',
      '',
      'What bench:x measures.',
    ]);
  });

  it('lists each flag with what it takes, its text and a default worth saying', () => {
    expect(text).toContain('  --smoke\n      small\n');
    expect(text).toContain('  --scale VALUE (repeatable)\n      N/R\n');
    expect(text).toContain('  --repeat VALUE\n      pairs (default 3)\n');
    expect(text).toContain('  --store sqlite|memory\n      which store (default sqlite)\n');
    expect(text).toContain('  --only a|b (repeatable)\n      one attack\n');
    expect(text).toContain('  --out VALUE\n      results JSON\n');
    expect(text.endsWith('  --help\n      this text')).toBe(true);
  });

  it('names a plain command as it is run', () => {
    expect(helpText('tsx a/cli.ts', Schema, 'A.').split('\n')[0]).toBe('tsx a/cli.ts [flags]');
  });
});

function run(
  args: string[],
  entry = 'bench/core/cli.ts',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', entry, ...args],
      { cwd: ROOT, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('a bench entry point', () => {
  it('prints its flags for --help and exits 0 without running', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('npm run bench:core -- [flags]');
    expect(stdout).toContain('--out VALUE');
    expect(stdout).not.toContain('results:');
  });

  it('refuses an unknown flag and a bad value with exit 2, pointing at --help', async () => {
    const unknown = await run(['--nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      "bench:core: Unknown option '--nope' (--help lists the flags)",
    );
    const empty = await run(['--out', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('bench:core: --out: must not be empty (--help lists the flags)\n');
  });

  // The server's reader and words (shared/node/cli-flags.ts): `--hold-seconds -1` and `--scale
  // -5/8` were node's three lines ("argument is ambiguous…"), `--repeat 0` "Too small: expected
  // number to be >=1", `--hold-seconds=abc` "Invalid input: expected number, received NaN".
  it('says each bad flag in one plain line, exit 2', async () => {
    const cases: [string[], string][] = [
      [['--hold-seconds', '-1'], '--hold-seconds: must be more than 0'],
      [['--scale', '-5/8'], '--scale: a scale is N/R, e.g. 5000/8'],
      [['--hold-seconds=abc'], '--hold-seconds: must be a number'],
      [['--repeat', '0'], '--repeat: must be at least 1'],
      [['--repeat', '1.5'], '--repeat: must be a whole number'],
      [['--ours-store', 'disk'], '--ours-store: must be one of sqlite, memory'],
      // A bad --ours-store too: were the repeat taken, this says so instead of a bench running.
      [
        ['--repeat', '1', '--repeat', '2', '--ours-store', 'disk'],
        '--repeat: given more than once',
      ],
      [['--smoke=yes'], '--smoke: takes no value'],
      [['--out'], '--out: needs a value'],
    ];
    const runs = await Promise.all(cases.map(([args]) => run(args, 'bench/server/cli.ts')));
    cases.forEach(([args, message], i) => {
      expect(runs[i]!.code, args.join(' ')).toBe(2);
      expect(runs[i]!.stderr).toBe(`bench:server: ${message} (--help lists the flags)\n`);
      expect(runs[i]!.stdout).toBe('');
    });
  });
});
