/**
 * A full approval door gives way to a less crowded address: MAX_PENDING_PER_ADDRESS kept one
 * stranger from filling it, but ten addresses at that share still did, and every friend was
 * refused for the requests' two minutes, again as they were renewed.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendCases } from '../state/test-util/backend-cases';
import type { RawClient } from '../test-util/support';
import { MAX_PENDING_PER_ADDRESS, MAX_PENDING_PER_PARTY } from './approvals';
import { DoorRig, PARTY } from './test-util/door';

const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());

const door = new DoorRig();
afterEach(() => door.rig.cleanup());

/** A joiner connected from 127.0.0.`n` (loopback answers on all of 127/8). */
async function from(n: number): Promise<RawClient> {
  const c = await door.rig.connect(undefined, `127.0.0.${n}`);
  await c.hello();
  return c;
}

const ADDRESSES = MAX_PENDING_PER_PARTY / MAX_PENDING_PER_ADDRESS;

describe.each(backends.cases)('%s backend', (_name, options) => {
  beforeEach(() => {
    door.backend = options;
  });

  it('ten addresses at their share fill it; a friend from another still gets a place, the oldest of theirs goes', async () => {
    const host = await door.hosted({ join_policy: 'approval' });
    const crowd: RawClient[] = [];
    for (let a = 0; a < ADDRESSES; a++) {
      const c = await from(10 + a);
      crowd.push(c);
      for (let i = 0; i < MAX_PENDING_PER_ADDRESS; i++) {
        expect(await door.join(c, `c${a}-${i}`)).toMatchObject({ type: 'join_pending' });
      }
    }
    expect(door.approvals.list(PARTY)).toHaveLength(MAX_PENDING_PER_PARTY);
    // c0-0 renews its request a second later: it keeps its place in the list, and c0-1 is
    // now the oldest of that address.
    door.now += 1000;
    expect(await door.join(crowd[0]!, 'c0-0')).toMatchObject({ type: 'join_pending' });
    const told = crowd[0]!.next((f) => f.type === 'error' && f.party_id === PARTY);
    const closed = host.next((f) => f.type === 'join_request_closed' && f.peer_id === 'c0-1');

    const friend = await from(200);
    expect(await door.join(friend, 'friend')).toMatchObject({ type: 'join_pending' });
    expect(await told).toMatchObject({
      code: 'rate_limited',
      message: expect.stringContaining('most of them from your address') as string,
    });
    expect(await closed).toMatchObject({ reason: 'expired' });
    const waiting = door.approvals.list(PARTY).map((p) => p.peer.peerId);
    expect(waiting).toHaveLength(MAX_PENDING_PER_PARTY);
    expect(waiting).toContain('friend');
    expect(waiting).not.toContain('c0-1');
    expect(waiting).toContain('c0-0');
    // The host can still let the friend in.
    expect(await door.answer(host, 'friend')).toMatchObject({ type: 'ack' });
  });

  it('a door full of one request per address gives way to nobody: no address crowds another out', async () => {
    await door.hosted({ join_policy: 'approval' });
    for (let a = 0; a < MAX_PENDING_PER_PARTY; a++) {
      expect(await door.join(await from(10 + a), `p${a}`)).toMatchObject({ type: 'join_pending' });
    }
    const late = await from(200);
    expect(await door.join(late, 'late')).toMatchObject({
      type: 'error',
      code: 'rate_limited',
      message: expect.stringContaining('Too many people are waiting') as string,
    });
    expect(door.approvals.list(PARTY).map((p) => p.peer.peerId)).not.toContain('late');
  });
});
