/**
 * `--log-level debug` shows what one client did: its connection opening and closing, and each
 * error it was answered. At the default level none of it is written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServerLogger, type LogLevel } from '../logger';
import { TestRig, delay } from '../test-util/support';

const rig = new TestRig();
afterEach(() => rig.cleanup());

/** A server logging at `level` into memory, one bad frame from a client, then its close. */
async function oneBadClient(level: LogLevel): Promise<{ level: number; msg: string }[]> {
  const lines: string[] = [];
  const logger = createServerLogger({ level, destination: { write: (l) => lines.push(l) } });
  await rig.start({ logger });
  const client = await rig.connect();
  client.sendRaw('{"type":"hello"');
  await client.nextOfType('error');
  await client.close();
  // The server hears the close a moment after the client.
  for (let i = 0; i < 50 && !lines.some((l) => l.includes('closed')); i++) await delay(20);
  return lines.map((l) => JSON.parse(l) as { level: number; msg: string });
}

describe('debug lines', () => {
  it('at debug: a connection opened, its error answered with the code, then closed', async () => {
    const debug = (await oneBadClient('debug')).filter((r) => r.level === 20).map((r) => r.msg);
    expect(debug).toEqual([
      expect.stringMatching(/^Connection \d+ from 127\.0\.0\.1 opened$/),
      expect.stringMatching(/^Connection \d+ \(127\.0\.0\.1\) answered bad_request: /),
      expect.stringMatching(/^Connection \d+ \(127\.0\.0\.1\) closed, code 1005: 0 peers/),
    ]);
  });

  it('at info (the default), none of them', async () => {
    const records = await oneBadClient('info');
    expect(records.filter((r) => r.level < 30)).toEqual([]);
    expect(records.map((r) => r.msg).join('\n')).not.toMatch(/opened|answered|closed/);
  });
});
