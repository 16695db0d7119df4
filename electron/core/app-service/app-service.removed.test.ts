/**
 * Parties gone from under a gamer. A member whose app stood still past the peer timeout (a PC
 * asleep, a process stopped) is removed by the server, and told so when it runs again: its
 * app leaves the party view and says why, rather than showing the party it is no longer in as
 * if it were still a member. A friend whose invite is for a party that ended is told it may
 * have ended, not only to check the ID.
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
  temp = makeTempDir('lanrage-removed-app-');
  server = await startMemoryServer();
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await server.close();
  temp.cleanup();
});

async function instance(name: string): Promise<AppService> {
  const service = await testAppService({ home: temp.dir, name, controlServer: server.url });
  open.push(service);
  return service;
}

/** The server's sweep, 10 minutes on, with only the host heard from since. */
function sweepGuestsAway(partyId: string): void {
  const later = Date.now() + 10 * MIN;
  const { service } = server.context;
  service.touch(partyId, 'peer_alice', later);
  service.sweep(new Date(later), 5 * MIN);
}

describe('removed after being offline while the app kept its connection', () => {
  it('leaves the party view and says why', async () => {
    const host = await instance('Alice');
    const made = await call<PartyView>(host, 'createParty', { name: 'Door' });
    if (!made.ok) throw new Error(made.error.message);
    const guest = await instance('Bob');
    expect(await call(guest, 'joinParty', { invite: made.value.party_id })).toMatchObject({
      ok: true,
    });

    sweepGuestsAway(made.value.party_id);
    await until(() => guest.snapshot().ended !== null);
    expect(guest.snapshot().party).toBeNull();
    expect(guest.snapshot().ended).toMatchObject({ party_name: 'Door', reason: 'removed' });
    await until(() => Object.keys(host.snapshot().party?.peers ?? {}).length === 1);
  });
});

describe('joining a party that has ended', () => {
  it('says it may have ended, not only that the ID may be wrong', async () => {
    const host = await instance('Alice');
    const made = await call<PartyView>(host, 'createParty', { name: 'Door' });
    if (!made.ok) throw new Error(made.error.message);
    expect(await call(host, 'leaveParty')).toMatchObject({ ok: true });
    const friend = await instance('Bob');
    const late = await call(friend, 'joinParty', { invite: made.value.party_id });
    expect(late.ok ? '' : late.error.message).toMatch(/it may have ended/);
  });
});
