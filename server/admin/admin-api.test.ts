/**
 * The operator's API on a real socket: off without a token, 401 that tells nothing, the
 * party list without secrets, and ending a party as its host would, durably.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { TestIdentity } from '../access/test-util/identity';
import { MemoryPartyStore } from '../store/test-util/memory-store';
import { ADMIN_TEST_TOKEN, adminRequest } from '../test-util/admin-request';
import {
  clockAt,
  hostParty,
  httpGet,
  peerDict,
  TestRig,
  type RawClient,
} from '../test-util/support';

const TOKEN = ADMIN_TEST_TOKEN;
const admin = adminRequest;
const rig = new TestRig();
const dirs: string[] = [];
afterEach(async () => {
  await rig.cleanup();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A public party `party_mod1` hosted by `h`, with `m` as a member; both clients. */
async function publicParty(): Promise<{ host: RawClient; member: RawClient }> {
  const host = await rig.connect();
  await host.hello();
  const made = await host.request({
    type: 'register_party',
    party_id: 'party_mod1',
    name: 'Rude name',
    host_peer: peerDict('h', { name: 'Hostname' }),
    settings: { visibility: 'public' },
  });
  expect(made.type).toBe('party_update');
  const member = await rig.connect();
  await member.hello();
  await member.request({ type: 'join_party', party_id: 'party_mod1', peer: peerDict('m') });
  return { host, member };
}

describe('the moderation API', () => {
  it('is off without --admin-token-file: /admin/ answers as any unknown path', async () => {
    const { port } = await rig.start();
    const unknown = await httpGet(port, '/no-such-path');
    for (const target of ['/admin/parties', '/admin/parties/party_mod1/end']) {
      expect(await httpGet(port, target)).toEqual(unknown);
      const posted = await admin(port, 'POST', target, TOKEN);
      expect([posted.status, posted.body]).toEqual([unknown.status, unknown.body]);
    }
  });

  it('answers 401 without the token or with a wrong one, the same way', async () => {
    const { port } = await rig.start({ adminToken: TOKEN });
    await publicParty();
    const none = await admin(port, 'GET', '/admin/parties');
    const wrong = await admin(port, 'GET', '/admin/parties', 'b'.repeat(40));
    const short = await admin(port, 'POST', '/admin/parties/party_mod1/end', 'a');
    for (const answer of [none, wrong, short]) {
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body)).toEqual({ error: 'unauthorized' });
    }
    expect(rig.server!.context.service.parties.has('party_mod1')).toBe(true);
  });

  it('throttles wrong tokens per address: 5 free, then one per 10 s', async () => {
    let now = Date.now();
    const { port } = await rig.start({ adminToken: TOKEN, clock: clockAt(() => now) });
    for (let i = 0; i < 5; i++) {
      expect((await admin(port, 'GET', '/admin/parties', 'wrong')).status).toBe(401);
    }
    const refused = await admin(port, 'GET', '/admin/parties', 'wrong');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('10');
    now += 10_000;
    expect((await admin(port, 'GET', '/admin/parties', 'wrong')).status).toBe(401);
    expect((await admin(port, 'GET', '/admin/parties', 'wrong')).status).toBe(429);
  });

  // The review's lock-out: 6 wrong tokens from the operator's address, then the right one got
  // 429, and the log said nothing of any of it.
  it('the right token is never throttled; refusals are logged (throttled) and counted', async () => {
    let now = Date.now();
    const logger = new MemoryLogger();
    const { port } = await rig.start({ adminToken: TOKEN, clock: clockAt(() => now), logger });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push((await admin(port, 'GET', '/admin/parties', 'wrong')).status);
    }
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(25).fill(429)]);
    expect((await admin(port, 'GET', '/admin/parties', TOKEN)).status).toBe(200);
    const refusals = () => logger.messages('warn').filter((l) => l.startsWith('Admin API:'));
    expect(refusals()).toEqual([
      'Admin API: a wrong token from 127.0.0.1 (401)',
      'Admin API: 127.0.0.1 refused (429) for 10 s, after 5 wrong tokens',
    ]);
    now += 10_000;
    await admin(port, 'GET', '/admin/parties');
    await admin(port, 'GET', '/admin/parties', 'wrong');
    expect(refusals().slice(2)).toEqual([
      'Admin API: no token from 127.0.0.1 (401); 4 more since the last such line',
      'Admin API: 127.0.0.1 refused (429) for 10 s, after 5 wrong tokens; 24 more since the last such line',
    ]);
    const metrics = (await httpGet(port, '/metrics')).body;
    expect(metrics).toMatch(/^lanrage_admin_refusals_total\{reason="unauthorized"\} 6$/m);
    expect(metrics).toMatch(/^lanrage_admin_refusals_total\{reason="rate_limited"\} 26$/m);
  });

  it('lists every party with its summary and creation time, and no secrets', async () => {
    const { port } = await rig.start({ adminToken: TOKEN });
    await publicParty();
    const answer = await admin(port, 'GET', '/admin/parties', TOKEN);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual([
      {
        party_id: 'party_mod1',
        name: 'Rude name',
        host_name: 'Hostname',
        peer_count: 2,
        max_peers: expect.any(Number) as number,
        visibility: 'public',
        join_policy: 'open',
        locked: false,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
      },
    ]);
    expect(answer.body).not.toMatch(/203\.0\.113|192\.168|key-|token/);
  });
});

describe('ending a party', () => {
  it('tells every member party_closed ended_by_server, and it leaves Browse', async () => {
    const logger = new MemoryLogger();
    const { port } = await rig.start({ adminToken: TOKEN, logger });
    const { host, member } = await publicParty();
    const answer = await admin(port, 'POST', '/admin/parties/PARTY_MOD1/end', TOKEN);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([
      200,
      { party_id: 'party_mod1', ended: true },
    ]);
    for (const client of [member, host]) {
      expect(await client.nextOfType('party_closed')).toMatchObject({
        party_id: 'party_mod1',
        reason: 'ended_by_server',
      });
    }
    const browse = await member.request({ type: 'list_parties' });
    expect(browse).toMatchObject({ type: 'party_list', parties: [] });
    expect(JSON.parse((await admin(port, 'GET', '/admin/parties', TOKEN)).body)).toEqual([]);
    expect(logger.messages('info')).toContain(
      'Admin: party party_mod1 ended by the operator at 127.0.0.1',
    );
  });

  it('answers 404 not_found for a party that is not there, or not an id', async () => {
    const { port } = await rig.start({ adminToken: TOKEN });
    for (const id of ['party_none', '%E0%A4%A', 'a%2Fb', '..']) {
      const answer = await admin(port, 'POST', `/admin/parties/${id}/end`, TOKEN);
      expect([answer.status, answer.body]).toEqual([404, '{"error":"not_found"}\n']);
    }
    const wrongMethod = await admin(port, 'GET', '/admin/parties/party_none/end', TOKEN);
    expect(wrongMethod.status).toBe(405);
    expect((await admin(port, 'GET', '/admin/other', TOKEN)).status).toBe(404);
  });

  it('answers only once the end is stored: a failed commit is 503, never a 200', async () => {
    const store = new MemoryPartyStore();
    const { port } = await rig.start({ adminToken: TOKEN, store });
    await hostParty(await rig.connect(), 'party_mod3', 'h');
    store.failNext = new Error('disk full');
    const answer = await admin(port, 'POST', '/admin/parties/party_mod3/end', TOKEN);
    expect([answer.status, answer.body]).toEqual([503, '{"error":"unavailable"}\n']);
  });

  it('stays ended for its host too: an app away as it ended registers it again on return', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-admin-'));
    dirs.push(dataDir);
    const { port } = await rig.start({ adminToken: TOKEN, dataDir, store: undefined });
    const key = new TestIdentity();
    const register = async (host: RawClient) => {
      await key.hello(host);
      const host_peer = peerDict('h');
      return host.request({
        type: 'register_party',
        party_id: 'party_mod4',
        name: 'Slur',
        host_peer,
      });
    };
    const first = await rig.connect();
    expect((await register(first)).type).toBe('party_update');
    await first.close(); // the host's app goes away for a moment
    expect((await admin(port, 'POST', '/admin/parties/party_mod4/end', TOKEN)).status).toBe(200);
    // Back, its app finds the party gone and registers it again as the server had lost it
    // (electron/core/client/sync/resync.ts): the same name, and every old invite link works.
    expect(await register(await rig.connect())).toMatchObject({ type: 'error', code: 'conflict' });
    expect(rig.server!.context.service.parties.has('party_mod4')).toBe(false);
    // Stored with the end (SQLite): a restart does not give the id back.
    await rig.cleanup();
    await rig.start({ adminToken: TOKEN, dataDir, store: undefined });
    expect(await register(await rig.connect())).toMatchObject({ type: 'error', code: 'conflict' });
  });

  it('after a restart (SQLite) an ended party stays gone', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanrage-admin-'));
    dirs.push(dataDir);
    const { port } = await rig.start({ adminToken: TOKEN, dataDir, store: undefined });
    await hostParty(await rig.connect(), 'party_mod2', 'h');
    await hostParty(await rig.connect(), 'party_keep', 'k');
    const answer = await admin(port, 'POST', '/admin/parties/party_mod2/end', TOKEN);
    expect(answer.status).toBe(200);
    await rig.cleanup();
    const again = await rig.start({ adminToken: TOKEN, dataDir, store: undefined });
    expect([...again.context.service.parties.keys()]).toEqual(['party_keep']);
    const listed = (await admin(again.port, 'GET', '/admin/parties', TOKEN)).body;
    expect(JSON.parse(listed)).toMatchObject([{ party_id: 'party_keep' }]);
  });
});
