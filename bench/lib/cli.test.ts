import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
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

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bench/core/cli.ts', ...args],
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
    expect(empty.stderr).toMatch(/^bench:core: out: .*\(--help lists the flags\)/);
  });
});
