/**
 * `join_party` with `resume` (1.4): a joiner whose connection or app went away while it
 * waited for the host asks where its join stands, on both backends.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendCases } from '../state/test-util/backend-cases';
import { delay, type RawClient } from '../test-util/support';
import { DoorRig, PARTY } from './test-util/door';

const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());

const door = new DoorRig();
afterEach(() => door.rig.cleanup());

const resume = (c: RawClient, peerId: string) => door.join(c, peerId, { resume: true });

/** A joiner asks, the host is told, and the joiner's app closes; its session token. */
async function leftWhileWaiting(host: RawClient, peerId = 'g'): Promise<string> {
  const first = await door.rig.connect();
  const token = await first.hello();
  expect(await door.join(first, peerId)).toMatchObject({ type: 'join_pending' });
  await host.nextOfType('join_request');
  await door.closeWhileWaiting(first, peerId);
  return token;
}

async function back(token: string): Promise<RawClient> {
  const c = await door.rig.connect();
  await c.hello(token);
  return c;
}

/**
 * The `away` of each join request the host got and no test read yet (leftWhileWaiting read
 * the first): the request told again as its joiner leaves (true) and comes back (false).
 */
const requestsTo = (host: RawClient) =>
  host.received.filter((f) => f.type === 'join_request').map((f) => f.away);

describe.each(backends.cases)('%s backend', (_name, options) => {
  beforeEach(() => {
    door.backend = options;
  });

  it('a request still waiting is answered join_pending with its first expiry; the host is not asked again', async () => {
    const host = await door.hosted({ join_policy: 'approval' });
    const token = await leftWhileWaiting(host);
    const expiresAt = door.approvals.get(PARTY, 'g')!.expiresAt;
    door.now += 30_000;
    const again = await back(token);
    expect(await resume(again, 'g')).toMatchObject({
      type: 'join_pending',
      party_id: PARTY,
      expires_at: new Date(expiresAt).toISOString(),
    });
    expect(door.approvals.get(PARTY, 'g')!.expiresAt).toBe(expiresAt);
    await delay(50);
    expect(requestsTo(host)).toEqual([true, false]);
    // The host's accept now reaches the joiner on its new connection.
    expect((await door.answer(host, 'g')).type).toBe('ack');
    expect(await again.nextOfType('party_update')).toMatchObject({ party: { party_id: PARTY } });
  });

  it('the host is told when a waiting joiner leaves, and when it comes back', async () => {
    const host = await door.hosted({ join_policy: 'approval' });
    const token = await leftWhileWaiting(host);
    const isG = (f: { type: string; peer_id?: unknown }) =>
      f.type === 'join_request' && f.peer_id === 'g';
    expect(await host.next(isG)).toMatchObject({ away: true, name: 'Player g' });
    await back(token);
    expect(await host.next(isG)).toMatchObject({ away: false });
  });

  it('a joiner let in while it was away gets the party, and is online again', async () => {
    const host = await door.hosted({ join_policy: 'approval' });
    const token = await leftWhileWaiting(host);
    expect((await door.answer(host, 'g')).type).toBe('ack');
    const again = await back(token);
    const answer = await resume(again, 'g');
    expect(answer).toMatchObject({ type: 'party_update', party: { party_id: PARTY } });
    expect((answer.party as { peers: object }).peers).toHaveProperty('g');
    await delay(50);
    const presence = door.server.context.service.presence.presenceOf(PARTY);
    expect(presence['g']?.status).toBe('online');
  });

  it('a request refused while the joiner was away is join_ended, and no new request is made', async () => {
    const host = await door.hosted({ join_policy: 'approval' });
    const token = await leftWhileWaiting(host);
    expect((await door.answer(host, 'g', false)).type).toBe('ack');
    const again = await back(token);
    expect(await resume(again, 'g')).toMatchObject({ type: 'error', code: 'join_ended' });
    expect(door.approvals.get(PARTY, 'g')).toBeUndefined();
    await delay(50);
    expect(requestsTo(host)).toEqual([true]);
    expect(door.server.context.service.parties.get(PARTY)!.peers.has('g')).toBe(false);
  });

  it('resume lets nobody in: an open party still answers join_ended to a stranger', async () => {
    await door.hosted({ join_policy: 'open' });
    const stranger = await door.joiner();
    expect(await resume(stranger, 's')).toMatchObject({ type: 'error', code: 'join_ended' });
    expect(door.server.context.service.parties.get(PARTY)!.peers.has('s')).toBe(false);
  });

  it("another session cannot learn or take over a waiting joiner's request", async () => {
    const host = await door.hosted({ join_policy: 'approval' });
    await leftWhileWaiting(host);
    const other = await door.joiner();
    expect(await resume(other, 'g')).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(door.approvals.get(PARTY, 'g')?.goneAt).toEqual(expect.any(Number));
  });
});
