/**
 * An invite names the server its party is on: a friend whose LANrage uses no server (or
 * another one) is told so in the join dialog, and joining, once agreed, moves LANrage to
 * that server (saved, as Settings would) and joins there. A real control server; the
 * friend starts in local mode, as a fresh install does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PartyView } from '../../../shared/ipc/app-state';
import { inviteLink } from '../../../shared/invite';
import type { RunningServer } from '../../../server/server-core';
import type { AppService } from './types';
import { startMemoryServer } from '../test-util/memory-server';
import { MemoryPartyStore } from '../../../server/store/test-util/memory-store';
import { testAppService } from '../test-util/app-instance';
import { makeTempDir } from '../test-util/temp-dir';
import { waitFor } from '../test-util/child-process';
import { callApp as call } from '../test-util/app-calls';

let temp: ReturnType<typeof makeTempDir>;
let server: RunningServer;
const open: AppService[] = [];

beforeEach(async () => {
  temp = makeTempDir('lanrage-server-invite-');
  server = await startMemoryServer();
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await server.close();
  temp.cleanup();
});

/** An app whose control plane follows its settings: remote with a server, local without. */
async function instance(name: string, controlServer: string | null): Promise<AppService> {
  const service = await testAppService({
    home: temp.dir,
    name,
    controlServer,
  });
  open.push(service);
  return service;
}

async function hosted(): Promise<{ partyId: string; link: string }> {
  const host = await instance('Bob', server.url);
  const created = await call<PartyView>(host, 'createParty', { name: 'Quake Night' });
  if (!created.ok) throw new Error(created.error.message);
  const partyId = created.value.party_id;
  return { partyId, link: inviteLink(partyId, undefined, server.url) };
}

/** What config.json (one for the home's instances) says the control server is. */
function savedServer(): unknown {
  const file = join(temp.dir, 'config.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { control_server?: unknown }).control_server;
}

describe('an invite to a party on another server', () => {
  it('asks nothing of that server before Join, then switches to it and joins', async () => {
    const { partyId, link } = await hosted();
    const ann = await instance('Ann', null);
    await ann.openInvite(link);
    expect(ann.snapshot().invite).toMatchObject({
      party_id: partyId,
      name: null,
      server: server.url,
      missing: false,
    });
    const joined = await call<PartyView>(ann, 'joinParty', { invite: link, switch_server: true });
    expect(joined.ok).toBe(true);
    expect(ann.snapshot().party?.party_id).toBe(partyId);
    expect(Object.values(ann.snapshot().party?.peers ?? {}).map((p) => p.name)).toEqual(
      expect.arrayContaining(['Bob', 'Ann']),
    );
    expect(ann.snapshot().settings.control_server).toBe(server.url);
    expect(ann.snapshot().status.state).toBe('connected');
    expect(savedServer()).toBe(server.url);
  });

  it('a join that fails there moves back: a dead or hostile link does not keep the app', async () => {
    const ann = await instance('Ann', null);
    const nobody = inviteLink('party_nobody12', undefined, server.url);
    const refused = await call(ann, 'joinParty', { invite: nobody, switch_server: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(refused.ok ? '' : refused.error.message).toBe(
      'No party with ID party_nobody12: it may have ended, or the ID is mistyped. ' +
        'Check it with your host. LANrage is back on no server.',
    );
    expect(ann.snapshot().settings.control_server).toBeNull();
    expect(ann.snapshot().status.state).toBe('local');
    expect(savedServer()).toBeNull();
    const dead = inviteLink('party_nobody12', undefined, 'ws://127.0.0.1:1');
    const unreachable = await call(ann, 'joinParty', { invite: dead, switch_server: true });
    expect(unreachable).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    // The link's server is out of reach, not one in Settings.
    expect(unreachable.ok ? '' : unreachable.error.message).toBe(
      "Can't reach 127.0.0.1:1, the server the invite names: it may be down, or the link wrong (ask your host). LANrage is back on no server.",
    );
    expect(ann.snapshot().settings.control_server).toBeNull();
  });

  it('a wait cancelled there moves back too, and says so', async () => {
    const host = await instance('Bob', server.url);
    const created = await call<PartyView>(host, 'createParty', {
      name: 'Door',
      settings: { join_policy: 'approval' },
    });
    if (!created.ok) throw new Error(created.error.message);
    const link = inviteLink(created.value.party_id, undefined, server.url);
    const ann = await instance('Ann', null);
    const joining = call(ann, 'joinParty', { invite: link, switch_server: true });
    await waitFor(() => host.snapshot().join_requests.length === 1, 5000);
    expect(ann.snapshot().settings.control_server).toBe(server.url);
    expect(await call(ann, 'cancelJoin')).toMatchObject({ ok: true });
    const cancelled = await joining;
    expect(cancelled).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(cancelled.ok ? '' : cancelled.error.message).toBe(
      'You stopped waiting to join. LANrage is back on no server.',
    );
    expect(ann.snapshot().settings.control_server).toBeNull();
    expect(ann.snapshot().status.state).toBe('local');
    expect(savedServer()).toBeNull();
  });

  it('without the user’s word it refuses, says where the party is, and changes nothing', async () => {
    const { link } = await hosted();
    const ann = await instance('Ann', null);
    const refused = await call(ann, 'joinParty', { invite: link });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const message = refused.ok ? '' : refused.error.message;
    expect(message).toContain(`That party is on ${new URL(server.url).host}`);
    expect(message).toContain('LANrage uses no server');
    expect(ann.snapshot().settings.control_server).toBeNull();
    expect(ann.snapshot().party).toBeNull();
  });

  it('in a party already: refused before the server is switched', async () => {
    const { link } = await hosted();
    const ann = await instance('Ann', null);
    expect(await call(ann, 'createParty', { name: 'My LAN' })).toMatchObject({ ok: true });
    const refused = await call(ann, 'joinParty', { invite: link, switch_server: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(refused.ok ? '' : refused.error.message).toMatch(/already in My LAN/);
    expect(ann.snapshot().settings.control_server).toBeNull();
    expect(ann.snapshot().party?.name).toBe('My LAN');
  });

  it('once the welcome chooses the link’s server, the waiting link shows its party', async () => {
    const { partyId, link } = await hosted();
    const ann = await instance('Ann', null);
    await ann.openInvite(link);
    expect(ann.snapshot().invite).toMatchObject({ name: null, server: server.url });
    const done = await call(ann, 'finishWelcome', {
      settings: { peer_name: 'Ann', control_server: server.url },
    });
    expect(done.ok).toBe(true);
    await waitFor(() => ann.snapshot().invite?.name === 'Quake Night', 5000);
    expect(ann.snapshot().invite).toMatchObject({
      party_id: partyId,
      host_name: 'Bob',
      server: null,
      missing: false,
    });
  });

  it('while the server in use does not answer, a link is not called a party that is gone', async () => {
    const dead = 'ws://127.0.0.1:1';
    const ann = await instance('Ann', dead);
    await ann.openInvite(inviteLink('party_abc12345', undefined, dead));
    expect(ann.snapshot().status.state).toBe('reconnecting');
    expect(ann.snapshot().invite).toMatchObject({ name: null, missing: false, server: null });
  });

  it('a link opened while the server was away is looked up once it answers again', async () => {
    await server.close();
    const store = new MemoryPartyStore();
    server = await startMemoryServer({ store });
    const { partyId, link } = await hosted();
    const port = Number(new URL(server.url).port);
    const carol = await instance('Carol', server.url);
    await server.close();
    await waitFor(() => carol.snapshot().status.state === 'reconnecting', 5000);
    await carol.openInvite(link);
    expect(carol.snapshot().invite).toMatchObject({ name: null, missing: false });
    server = await startMemoryServer({ store, port });
    await waitFor(() => carol.snapshot().invite?.name === 'Quake Night', 15000);
    expect(carol.snapshot().invite?.party_id).toBe(partyId);
  });

  it('a party the server in use has not is said to be missing, not looked for', async () => {
    const carol = await instance('Carol', server.url);
    await carol.openInvite(inviteLink('party_abc12345', undefined, server.url));
    expect(carol.snapshot().invite).toMatchObject({ name: null, missing: true, looking: false });
  });

  it('a link to the server in use is looked up and joined as before', async () => {
    const { partyId, link } = await hosted();
    const carol = await instance('Carol', server.url);
    await carol.openInvite(link);
    expect(carol.snapshot().invite).toMatchObject({ name: 'Quake Night', server: null });
    expect(await call(carol, 'joinParty', { invite: link })).toMatchObject({ ok: true });
    expect(carol.snapshot().party?.party_id).toBe(partyId);
  });
});

describe('the server in use while in a party', () => {
  it('is not changed: the party stays on it, and the name still can be', async () => {
    const { partyId } = await hosted();
    const carol = await instance('Carol', server.url);
    expect(await call(carol, 'joinParty', { invite: partyId })).toMatchObject({ ok: true });
    const moved = await call(carol, 'saveSettings', { peer_name: 'Carol', control_server: null });
    expect(moved).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(moved.ok ? '' : moved.error.message).toBe(
      'You are in Quake Night: leave it before changing the server (the party stays on its server).',
    );
    expect(carol.snapshot().settings.control_server).toBe(server.url);
    expect(carol.snapshot().status.state).toBe('connected');
    const renamed = await call(carol, 'saveSettings', {
      peer_name: 'Caro',
      control_server: server.url,
    });
    expect(renamed).toMatchObject({ ok: true });
    expect(carol.snapshot().me.name).toBe('Caro');
  });
});
