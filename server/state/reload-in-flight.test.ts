/**
 * A reload from Redis (after a reconnect) while this server's own creation or deletion of a
 * party is still being committed: the store does not show it yet, and the copy here must not
 * be put back to what the store showed. Redis holds the commit with CLIENT PAUSE WRITE
 * (reads go on), and the reload reads through a second connection: on the server's own,
 * Redis would answer it only after the paused commit, as it does for a commit already sent,
 * but not for one still waiting in the server for the commit before it (or for its retry
 * after Redis was unreachable).
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestRig, guestJoins, hostParty, peerDict } from '../test-util/support';
import { eventually } from '../../shared/test-support/eventually';
import { silentLogger } from '../../shared/logger';
import { TestIdentity } from '../access/test-util/identity';
import { BackendCases } from './test-util/backend-cases';
import { RedisPartyStore } from './redis/store';
import { reloadAll } from './replica';

const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());
const rig = new TestRig();
afterEach(() => rig.cleanup());

const PAUSE_MS = 600;

/** Holds every write to Redis for PAUSE_MS (a commit in flight meanwhile waits). */
async function pauseWrites(): Promise<void> {
  const admin = new Redis(backends.redisServer.url, { lazyConnect: true });
  await admin.connect();
  await admin.call('CLIENT', 'PAUSE', String(PAUSE_MS), 'WRITE');
  admin.disconnect();
}

/** A server on Redis, and a second connection to read its state from. */
async function serverAndReader(name: string) {
  const prefix = `reload-${name}:`;
  const server = await rig.start({ backend: await backends.redisBackend(name, { prefix }) });
  const reader = await RedisPartyStore.open(backends.redisServer.url, silentLogger, prefix);
  readers.push(reader);
  return { server, reader };
}
const readers: RedisPartyStore[] = [];
afterEach(async () => {
  await Promise.all(readers.splice(0).map((r) => r.close()));
});

/** Polled every 5 ms: the reload under test runs while a commit is paused, briefly. */
const until = (check: () => boolean, what: string): Promise<void> =>
  eventually(check, 1000, what, 5);

describe('reloadAll while this server commits', () => {
  it('keeps a party whose creation is not yet in the store', async () => {
    const { server, reader } = await serverAndReader('create');
    const { service } = server.context;
    const host = await rig.connect();
    await host.hello();
    await pauseWrites();
    const created = host.request({
      type: 'register_party',
      party_id: 'party_flight',
      name: 'F',
      host_peer: peerDict('h'),
    });
    await until(() => service.parties.has('party_flight'), 'party_flight read');
    expect((await reader.loadParties(['party_flight'])).get('party_flight')?.party).toBe(null);
    await reloadAll(server.context, reader);
    expect(await created).toMatchObject({ type: 'party_update' });
    expect(service.parties.has('party_flight')).toBe(true);
    // Still served here: a guest joins it on this server.
    const { answer } = await guestJoins(rig, 'party_flight', 'g');
    expect(answer).toMatchObject({ type: 'party_update' });
  });

  it('does not bring back a party whose deletion is not yet in the store', async () => {
    const { server, reader } = await serverAndReader('delete');
    const { service } = server.context;
    const host = await rig.connect();
    await hostParty(host, 'party_gone', 'h');
    await pauseWrites();
    const left = host.request({ type: 'leave_party', party_id: 'party_gone', peer_id: 'h' });
    await until(() => !service.parties.has('party_gone'), 'party_gone dropped');
    expect((await reader.loadParties(['party_gone'])).get('party_gone')?.party).not.toBe(null);
    await reloadAll(server.context, reader);
    expect((await left).type).not.toBe('error');
    expect(service.parties.has('party_gone')).toBe(false);
    expect((await reader.loadParties(['party_gone'])).get('party_gone')?.party).toBe(null);
  });

  it('keeps an ownership this server moved that is not yet in the store', async () => {
    const { server, reader } = await serverAndReader('owner');
    const { sessions } = server.context;
    const owner = new TestIdentity();
    const first = await rig.connect();
    await owner.hello(first);
    await first.request({
      type: 'register_party',
      party_id: 'party_owned',
      name: 'O',
      host_peer: peerDict('alice'),
    });
    const before = sessions.ownerOf('alice');
    // The key's holder reclaims its id from a new session (a lost session file).
    const again = await rig.connect();
    await pauseWrites();
    const welcome = owner.hello(again);
    await until(() => sessions.ownerOf('alice') !== before, "alice's new owner");
    expect((await reader.ownersOf(['alice'])).get('alice')).toBe(before);
    await reloadAll(server.context, reader);
    const token = String((await welcome).session_token);
    expect(sessions.ownerOf('alice')).toBe(token);
    expect((await reader.ownersOf(['alice'])).get('alice')).toBe(token);
  });

  it('keeps a ban this server made that is not yet in the store', async () => {
    const { server, reader } = await serverAndReader('ban');
    const { access } = server.context;
    const host = await rig.connect();
    await hostParty(host, 'party_ban', 'h');
    expect((await guestJoins(rig, 'party_ban', 'a')).answer.type).toBe('party_update');
    await pauseWrites();
    const kicked = host.request({
      type: 'kick_peer',
      party_id: 'party_ban',
      peer_id: 'a',
      ban: true,
    });
    await until(() => access?.bans.isBanned('party_ban', 'a', null) === true, 'the ban read');
    await reloadAll(server.context, reader);
    expect((await kicked).type).toBe('ack');
    expect(access?.bans.isBanned('party_ban', 'a', null)).toBe(true);
    const again = await guestJoins(rig, 'party_ban', 'a');
    expect(again.answer).toMatchObject({ type: 'error', code: 'forbidden' });
  });
});
