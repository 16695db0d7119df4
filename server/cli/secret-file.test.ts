/**
 * readSecretFile on what is not a plain secret file: a FIFO (nothing ever writes to it), a
 * device that never ends, a file far larger than any secret. Each must be refused at once,
 * not block the server's start or fill its memory; so the FIFO and the device are read in a
 * child process, where a hang is a timeout and not a stuck test run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readSecretFile } from './secret-file';

const MODULE = fileURLToPath(new URL('./secret-file.ts', import.meta.url));
let dir = '';

afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function tempPath(name: string): string {
  dir ||= fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-secret-'));
  return path.join(dir, name);
}

/** What readSecretFile(file) throws in a child process, or 'hung' after 5 s. */
function childReads(file: string): string {
  const script =
    `import { readSecretFile } from ${JSON.stringify(MODULE)};` +
    `try { readSecretFile(${JSON.stringify(file)}, '--x'); console.log('read'); }` +
    ` catch (e) { console.log(String(e)); }`;
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      timeout: 5000,
      encoding: 'utf8',
    },
  );
  return run.error ? 'hung' : run.stdout.trim();
}

describe.skipIf(process.platform === 'win32')('readSecretFile on files that are no secret', () => {
  it('refuses a FIFO with mode 600 at once, instead of waiting for a writer', () => {
    const fifo = tempPath('fifo');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    expect(childReads(fifo)).toMatch(/--x .*fifo: is not a regular file/);
  });

  it('refuses a device before reading it (/dev/zero never ends)', () => {
    expect(childReads('/dev/zero')).toMatch(/--x \/dev\/zero: is not a regular file/);
  });

  it('refuses a file far larger than a secret, naming the limit', () => {
    const file = tempPath('huge');
    fs.writeFileSync(file, 'a'.repeat(1024 * 1024), { mode: 0o600 });
    expect(() => readSecretFile(file, '--x')).toThrow(/--x .*huge: larger than 65536 bytes/);
  });

  it('still reads a plain secret, without its one line break (CRLF too)', () => {
    const file = tempPath('ok');
    fs.writeFileSync(file, 'secret\r\n', { mode: 0o600 });
    expect(readSecretFile(file, '--x')).toBe('secret');
  });
});
