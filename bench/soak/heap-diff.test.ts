import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lanrage-heap-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bench/soak/heap-diff.ts', ...args],
      { cwd: ROOT, timeout: 30_000 },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
    );
  });
}

describe('heap-diff.ts', () => {
  it('says in words, with exit 2, when a file is missing or is not a heap snapshot', async () => {
    const missing = join(dir, 'missing.heapsnapshot');
    const other = join(dir, 'other.heapsnapshot');
    writeFileSync(other, '{"nodes": []}');
    const gone = await run([missing, other]);
    expect(gone).toEqual({ code: 2, stderr: `heap-diff: cannot read ${missing} (ENOENT)\n` });
    const wrong = await run([other, other]);
    expect(wrong).toEqual({
      code: 2,
      stderr: `heap-diff: ${other} is not a V8 heap snapshot (.heapsnapshot)\n`,
    });
    const top = await run([other, other, '--top', 'x']);
    expect(top.code).toBe(2);
    expect(top.stderr).toContain('--top takes a whole number');
  });
});
