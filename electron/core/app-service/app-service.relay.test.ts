/**
 * The page's `getRelay` through a real app and a real server: the party server's relays with
 * credentials in my own name, none where the server has none or in local mode, and a refusal
 * outside a party. What a hostile server may answer is in remote/relay.test.ts.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PartyView } from '../../../shared/ipc/app-state';
import type { RunningServer } from '../../../server/server-core';
import type { AppService } from './types';
import { startMemoryServer } from '../test-util/memory-server';
import { testAppService } from '../test-util/app-instance';
import { makeTempDir } from '../test-util/temp-dir';
import { callApp as call } from '../test-util/app-calls';

const RELAY = { urls: ['turn:127.0.0.1:3478'], secret: 'relay-secret', ttlSeconds: 900 };

let temp: ReturnType<typeof makeTempDir>;
let server: RunningServer;
const open: AppService[] = [];

beforeEach(async () => {
  temp = makeTempDir('lanrage-relay-');
  server = await startMemoryServer({ relay: RELAY });
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await server.close();
  temp.cleanup();
});

async function app(name: string, controlServer: string | null = server.url): Promise<AppService> {
  const made = await testAppService({ home: temp.dir, name, controlServer });
  open.push(made);
  return made;
}

describe('getRelay', () => {
  it("answers the party server's relay, with credentials in my peer id the relay can check", async () => {
    const bob = await app('Bob');
    const made = await call<PartyView>(bob, 'createParty', { name: 'Relay night' });
    expect(made.ok).toBe(true);
    const before = Math.floor(Date.now() / 1000);
    const answer = await call<{ ice_servers: { username: string; credential: string }[] }>(
      bob,
      'getRelay',
      {},
    );
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.value).toMatchObject({ ttl: 900, ice_servers: [{ urls: RELAY.urls }] });
    const { username, credential } = answer.value.ice_servers[0]!;
    const [expiry, peerId] = username.split(':');
    expect(peerId).toBe('peer_bob');
    expect(Number(expiry) - before).toBeGreaterThanOrEqual(900);
    expect(Number(expiry) - before).toBeLessThan(905);
    expect(credential).toBe(createHmac('sha1', RELAY.secret).update(username).digest('base64'));
  });

  it('is refused outside a party, and names no relay for a party on this PC', async () => {
    const ann = await app('Ann');
    expect(await call(ann, 'getRelay', {})).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'Join a party first.' },
    });
    const local = await app('Cid', null);
    expect(await call(local, 'createParty', { name: 'LAN night' })).toMatchObject({ ok: true });
    expect(await call(local, 'getRelay', {})).toEqual({
      ok: true,
      value: { ice_servers: [], ttl: 3600 },
    });
  });

  it('keeps "hide my address" in config.json, and a form without it leaves it as it was', async () => {
    const ann = await app('Ann');
    const on = await call(ann, 'saveSettings', {
      peer_name: 'Ann',
      control_server: server.url,
      relay_only: true,
    });
    expect(on).toMatchObject({ ok: true, value: { relay_only: true } });
    const file = () => JSON.parse(readFileSync(join(temp.dir, 'config.json'), 'utf8')) as object;
    expect(file()).toMatchObject({ relay_only: true });
    await call(ann, 'saveSettings', { peer_name: 'Annie', control_server: server.url });
    expect(file()).toMatchObject({ peer_name: 'Annie', relay_only: true });
    await ann.close();
    open.splice(open.indexOf(ann), 1);
    const again = await app('Ann');
    expect(again.snapshot().settings.relay_only).toBe(true);
  });
});
