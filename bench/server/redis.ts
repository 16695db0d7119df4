/**
 * `bench:server --redis`: the same load against our server on Redis, one instance and two
 * instances sharing one redis-server (each party's members spread over both), started
 * fresh per scale, in the same run as the raw-ws baseline. Afterwards every server is
 * killed with SIGKILL and a fresh one on the same Redis must still have every acknowledged
 * member ("durable": Redis runs append-only, fsynced on every write).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisTestServer } from '../../server/test-util/redis-server';
import type { StartedProcess } from '../lib/proc';
import { runScale } from '../load/coordinator';
import type { ScaleResult, ScaleSpec } from '../load/scale-types';
import { verifyDurability, type DurabilityResult } from '../load/durability';

export interface RedisRun {
  label: string;
  result: ScaleResult;
  durability: DurabilityResult;
}

type Start = (dataDir: string, extra?: readonly string[]) => Promise<StartedProcess>;

/** One run of `instances` servers on a fresh redis-server. */
export async function measureOnRedis(
  start: Start,
  spec: ScaleSpec,
  tag: string,
  cores: number,
  instances: number,
): Promise<RedisRun> {
  const redis = await RedisTestServer.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'lanrage-bench-redis-'));
  const servers: StartedProcess[] = [];
  try {
    for (let i = 0; i < instances; i++) servers.push(await start(dataDir, ['--redis', redis.url]));
    const [first, ...others] = servers as [StartedProcess, ...StartedProcess[]];
    let result: ScaleResult;
    try {
      result = await runScale(first, spec, `${tag}r${instances}`, cores, others);
    } catch (error) {
      const stderr = servers.map((s) => s.stderr().slice(-1000)).join('\n');
      throw new Error(`${String(error)}\nserver stderr:\n${stderr}`, { cause: error });
    }
    for (const server of servers) server.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.stop()));
    const durability = await verifyDurability(
      () => start(dataDir, ['--redis', redis.url, '--rate-limit', '0']),
      spec.peers,
      spec.partySize,
      `${tag}r${instances}`,
      result.left_out,
    );
    const label = instances === 1 ? 'LANrage on Redis' : `LANrage ×${instances} on Redis`;
    return { label, result, durability };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await redis.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
