import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostParty, RawClient } from '../../server/test-util/support';
import { LOAD_SERVER_FLAGS } from '../lib/server-flags';
import { startOurs } from './bench';
import type { StartedProcess } from '../lib/proc';
import type { OursStore } from './types';

const dirs: string[] = [];
const servers: StartedProcess[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(store: OursStore): Promise<{ server: StartedProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lanrage-bench-store-'));
  dirs.push(dir);
  const server = await startOurs(dir, LOAD_SERVER_FLAGS, undefined, store);
  servers.push(server);
  return { server, dir };
}

async function registerAndRestart(store: OursStore) {
  const { server, dir } = await start(store);
  const client = await RawClient.connect(server.url);
  await hostParty(client, 'party_bench_store', 'host1');
  await client.close();
  await server.stop();
  const again = await startOurs(dir, LOAD_SERVER_FLAGS, undefined, store);
  servers.push(again);
  const probe = await RawClient.connect(again.url);
  await probe.hello();
  const answer = await probe.request({ type: 'get_party', party_id: 'party_bench_store' });
  await probe.close();
  return { answer, files: readdirSync(dir) };
}

describe('bench:server --ours-store', () => {
  it('memory: the same server and flags, its state gone after a restart and no database written', async () => {
    const { answer, files } = await registerAndRestart('memory');
    expect(answer).toMatchObject({ type: 'error', code: 'not_found' });
    expect(files.filter((f) => f.endsWith('.db'))).toEqual([]);
  }, 60_000);

  it('sqlite (the default): the party survives the restart', async () => {
    const { answer, files } = await registerAndRestart('sqlite');
    // Asked by a stranger: the summary (protocol 1.2), which exists only if the party does.
    expect(answer.type).toBe('party_summary');
    expect(files.some((f) => f.endsWith('.db'))).toBe(true);
  }, 60_000);
});
