/**
 * The activity list across an app restart: an app that closes and starts again in the same
 * party still shows what happened before it closed (activity.json), newest first.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PartyView } from '../../../shared/ipc/app-state';
import type { RunningServer } from '../../../server/server-core';
import type { AppService } from './types';
import { newIdentitySeed } from '../identity/identity-key';
import { ACTIVITY_FILE } from '../notifications/activity-file';
import { startMemoryServer } from '../test-util/memory-server';
import { testAppService } from '../test-util/app-instance';
import { makeTempDir } from '../test-util/temp-dir';
import { callApp as call, until } from '../test-util/app-calls';

let temp: ReturnType<typeof makeTempDir>;
let server: RunningServer;
const open = new Set<AppService>();

beforeEach(async () => {
  temp = makeTempDir('lanrage-activity-app-');
  server = await startMemoryServer();
});
afterEach(async () => {
  for (const s of open) await s.close();
  open.clear();
  await server.close();
  temp.cleanup();
});

async function instance(name: string, seed = newIdentitySeed()): Promise<AppService> {
  const service = await testAppService({ home: temp.dir, name, controlServer: server.url, seed });
  open.add(service);
  return service;
}

async function close(service: AppService): Promise<void> {
  open.delete(service);
  await service.close();
}

const texts = (service: AppService) => service.snapshot().activity.map((e) => e.text);

describe('the activity list across a restart', () => {
  it('is still there when the app starts again in the same party', async () => {
    const seed = newIdentitySeed();
    const alice = await instance('Alice', seed);
    const made = await call<PartyView>(alice, 'createParty', { name: 'Door' });
    if (!made.ok) throw new Error(made.error.message);
    const bob = await instance('Bob');
    expect(await call(bob, 'joinParty', { invite: made.value.party_id })).toMatchObject({
      ok: true,
    });
    await call(bob, 'leaveParty');
    await until(() => texts(alice).length === 2);
    await close(alice);
    expect(existsSync(join(temp.dir, 'instances', 'alice', ACTIVITY_FILE))).toBe(true);

    const again = await instance('Alice', seed);
    await until(() => again.snapshot().party?.party_id === made.value.party_id);
    expect(texts(again)).toEqual(['Bob left', 'Bob joined']);
  });

  it('tells who came and went while the app was closed, behind what it kept', async () => {
    const seed = newIdentitySeed();
    const alice = await instance('Alice', seed);
    const made = await call<PartyView>(alice, 'createParty', { name: 'Door' });
    if (!made.ok) throw new Error(made.error.message);
    const partyId = made.value.party_id;
    const bob = await instance('Bob');
    await call(bob, 'joinParty', { invite: partyId });
    await until(() => texts(alice).length === 1);
    await close(alice);

    const cid = await instance('Cid');
    expect(await call(cid, 'joinParty', { invite: partyId })).toMatchObject({ ok: true });
    await call(bob, 'leaveParty');
    const again = await instance('Alice', seed);
    await until(() => again.snapshot().party?.party_id === partyId);
    expect(texts(again)).toEqual([
      'Cid joined while you were away',
      'Bob left while you were away',
      'Bob joined',
    ]);
  });
});
