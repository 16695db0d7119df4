/**
 * A data dir whose disk fills up while the server runs (a real process on a small tmpfs,
 * where root may mount one): changes are answered unavailable, the log says so once (not at
 * every retry, each second and each message, as it did), and says when commits work again.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestRig, delay, hostParty, httpGet, peerDict } from '../test-util/support';
import { spawnServer, type ServerProcess } from '../test-util/process';

let dir: string;
let mounted = false;
let proc: ServerProcess | null = null;
const rig = new TestRig();

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-full-'));
  mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=400k', 'tmpfs', dir]).status === 0;
});
afterEach(async () => {
  await rig.cleanup();
  await proc?.kill();
  proc = null;
  if (mounted) spawnSync('umount', [dir]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const failures = (log: string): number => log.match(/Storage commit failed/g)?.length ?? 0;

describe.runIf(process.platform === 'linux' && process.getuid?.() === 0)('a full disk', () => {
  it('is logged once per 10 s with a count, and its end is logged', async (ctx) => {
    if (!mounted) return ctx.skip();
    proc = await spawnServer(['--port', '0', '--data-dir', dir]);
    const host = await rig.connect(proc.url);
    await hostParty(host, 'party_before_full', 'h');
    const filler = path.join(dir, 'filler');
    spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k']);
    for (let i = 0; i < 6; i++) {
      const answer = await host.request({
        type: 'join_party',
        party_id: 'party_before_full',
        peer: peerDict('h', { name: `Renamed ${i}` }),
      });
      expect(answer).toMatchObject({ type: 'error', code: 'unavailable' });
    }
    await delay(2500); // two retries of the held change, a second apart
    expect(failures(proc.stderr())).toBe(1);
    expect(proc.stderr()).toContain('changes are answered unavailable and kept');
    // It answered 200 throughout: a load balancer kept sending it players it could not serve.
    expect((await httpGet(proc.port, '/readyz')).status).toBe(503);
    fs.rmSync(filler);
    await delay(1500);
    expect((await httpGet(proc.port, '/readyz')).status).toBe(200);
    expect(proc.stderr()).toMatch(
      /"level":30,.*"msg":"Storage commits work again, after \d+ failed"/,
    );
    const again = await rig.connect(proc.url);
    await hostParty(again, 'party_after_full', 'h2');
  }, 30_000);
});
