import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startNodeScript } from './proc';
import { eventually } from '../../shared/test-support/eventually';

const URL_LINE = /ws:\/\/127\.0\.0\.1:\d+\/ws/;

/** A child that talks on both streams before and after its URL line, then waits. */
const TALKER = `
process.stderr.write('starting on stderr\\n');
process.stdout.write('listening on ws://127.0.0.1:1234/ws\\n');
setTimeout(() => {
  process.stdout.write('after the url on stdout\\n');
  process.stderr.write('after the url on stderr\\n');
}, 50);
setInterval(() => undefined, 1000);
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lanrage-proc-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const waitFor = (check: () => boolean): Promise<void> => eventually(check, 5000, 'the output');

describe('startNodeScript', () => {
  it('copies everything the child writes to outputFile, after its URL line too', async () => {
    const file = join(dir, 'out.log');
    const talker = script('talker.mjs', TALKER);
    const child = await startNodeScript(talker, [], URL_LINE, { outputFile: file });
    expect(child.url).toBe('ws://127.0.0.1:1234/ws');
    await waitFor(() => child.stderr().includes('after the url'));
    await child.stop();
    await waitFor(() => readFileSync(file, 'utf8').includes('after the url on stdout'));
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toContain(`talker.mjs (pid ${child.pid})`);
    for (const line of ['starting on stderr', 'listening on', 'after the url on stdout']) {
      expect(text).toContain(line);
    }
    expect(text).toContain('after the url on stderr');
  });

  it('appends a second start to the same file instead of overwriting it', async () => {
    const file = join(dir, 'out.log');
    const talker = script('talker.mjs', TALKER);
    for (let i = 0; i < 2; i++) {
      const child = await startNodeScript(talker, [], URL_LINE, { outputFile: file });
      await child.stop();
    }
    await waitFor(() => readFileSync(file, 'utf8').split('# ').length === 3);
    expect(readFileSync(file, 'utf8').match(/^# .*talker\.mjs/gm)).toHaveLength(2);
  });

  it('rejects with the exit code and the stderr of a child that dies before its URL', async () => {
    const dies = script('dies.mjs', `process.stderr.write('no port for me\\n'); process.exit(3);`);
    await expect(startNodeScript(dies, [], URL_LINE)).rejects.toThrow(
      /exited \(3\) before printing its URL\nno port for me/,
    );
  });
});
