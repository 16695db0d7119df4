/**
 * A PC whose clock is off from its server's (no time sync, a dual boot keeping local time):
 * what the server dates (join requests' expiry, invites, last seen) is read against the
 * server's clock as this app estimates it, not against this PC's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PartyView } from '../../../shared/ipc/app-state';
import type { RunningServer } from '../../../server/server-core';
import type { AppService } from './types';
import { startMemoryServer } from '../test-util/memory-server';
import { testAppService } from '../test-util/app-instance';
import { makeTempDir } from '../test-util/temp-dir';
import { callApp as call, until } from '../test-util/app-calls';

const MIN = 60_000;
let temp: ReturnType<typeof makeTempDir>;
let server: RunningServer;
const open: AppService[] = [];

beforeEach(async () => {
  temp = makeTempDir('lanrage-skew-');
  server = await startMemoryServer({ approvalCheckMs: 20 });
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await server.close();
  temp.cleanup();
});

async function instance(name: string, clockSkewMs: number): Promise<AppService> {
  const service = await testAppService({
    home: temp.dir,
    name,
    controlServer: server.url,
    clockSkewMs,
  });
  open.push(service);
  return service;
}

async function approvalParty(host: AppService): Promise<PartyView> {
  const made = await call<PartyView>(host, 'createParty', {
    name: 'Door',
    settings: { join_policy: 'approval' },
  });
  if (!made.ok) throw new Error(made.error.message);
  return made.value;
}

describe('a PC clock off from the server’s', () => {
  it.each([
    ['ahead', 5 * MIN],
    ['behind', -5 * MIN],
  ])('host %s by 5 min still sees a join request and lets the guest in', async (_, skew) => {
    const host = await instance('Bob', skew);
    const party = await approvalParty(host);
    const guest = await instance('Ann', 0);
    const joining = call<PartyView>(guest, 'joinParty', { invite: party.party_id });
    await until(() => host.snapshot().join_requests.length === 1);
    // Learnt from the welcome (protocol 1.6), within a loopback round trip.
    const offset = host.snapshot().status.serverClockOffsetMs ?? 0;
    expect(Math.abs(offset + skew)).toBeLessThan(250);
    expect((await call(host, 'answerJoin', { peer_id: 'peer_ann', accept: true })).ok).toBe(true);
    expect(await joining).toMatchObject({ ok: true });
  });

  it.each([
    ['ahead', 5 * MIN],
    ['behind', -5 * MIN],
  ])('guest %s by 5 min waits the whole two minutes for the host', async (_, skew) => {
    const host = await instance('Bob', 0);
    const party = await approvalParty(host);
    const guest = await instance('Ann', skew);
    const joining = call<PartyView>(guest, 'joinParty', { invite: party.party_id });
    await until(() => host.snapshot().join_requests.length === 1);
    const left = Date.parse(guest.snapshot().pending_join!.expires_at) - (Date.now() + skew);
    expect(left).toBeGreaterThan(1.5 * MIN);
    expect(left).toBeLessThanOrEqual(2 * MIN + 1000);
    expect((await call(host, 'answerJoin', { peer_id: 'peer_ann', accept: true })).ok).toBe(true);
    expect(await joining).toMatchObject({ ok: true });
  });
});
