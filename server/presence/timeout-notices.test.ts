import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { NOTICE_TTL_MS, TimeoutNotices } from './timeout-notices';
import { TestRig, delay, peerDict, type RawClient } from '../test-util/support';
import { discardAccess } from '../access/test-util/discard-access';

const rig = new TestRig();
afterEach(() => rig.cleanup());

/**
 * A party 'party_abc123' whose host keeps beating; returns the host and a guest 'g' with its token.
 */
async function partyWithGuest(): Promise<{ host: RawClient; guest: RawClient; token: string }> {
  await rig.start({ sweepIntervalMs: 50, peerTimeoutMs: 600 });
  const host = await rig.connect();
  await host.hello();
  await host.request({
    type: 'register_party',
    party_id: 'party_abc123',
    name: 'P',
    host_peer: peerDict('h'),
  });
  const guest = await rig.connect();
  const token = await guest.hello();
  await guest.request({ type: 'join_party', party_id: 'party_abc123', peer: peerDict('g') });
  return { host, guest, token };
}

/** Keeps the host beating while `during` runs. */
async function hostBeating<T>(host: RawClient, during: () => Promise<T>): Promise<T> {
  const beat = setInterval(
    () => host.send({ type: 'heartbeat', party_id: 'party_abc123', peer_id: 'h' }),
    100,
  );
  try {
    return await during();
  } finally {
    clearInterval(beat);
  }
}

const removedNotice = {
  type: 'peer_left',
  party_id: 'party_abc123',
  peer_id: 'g',
  reason: 'timeout',
};

describe('a member removed for being offline is told so', () => {
  it('when its session comes back: peer_left (timeout) right after the welcome, once', async () => {
    const { host, guest, token } = await partyWithGuest();
    await guest.close();
    await hostBeating(host, () =>
      host.next((f) => f.type === 'peer_left' && f.peer_id === 'g', 5000),
    );
    const back = await rig.connect();
    const order: string[] = [];
    back.ws.on('message', (data: Buffer) =>
      order.push((JSON.parse(data.toString('utf8')) as { type: string }).type),
    );
    await back.hello(token);
    expect(await back.next((f) => f.type === 'peer_left', 2000)).toMatchObject(removedNotice);
    expect(order).toEqual(['welcome', 'peer_left']);
    const again = await rig.connect();
    await again.hello(token);
    await delay(200);
    expect(again.received.filter((f) => f.type === 'peer_left')).toEqual([]);
  });

  it('while still connected but silent: at once', async () => {
    const { host, guest } = await partyWithGuest();
    await hostBeating(host, async () => {
      expect(await guest.next((f) => f.type === 'peer_left', 5000)).toMatchObject(removedNotice);
    });
  });

  it('not when it has joined again since, nor to another session', async () => {
    const { host, guest, token } = await partyWithGuest();
    await guest.close();
    await hostBeating(host, () =>
      host.next((f) => f.type === 'peer_left' && f.peer_id === 'g', 5000),
    );
    const stranger = await rig.connect();
    await stranger.hello();
    const rejoined = await rig.connect();
    await rejoined.hello();
    await hostBeating(host, async () => {
      // The old session's ownership of 'g' is pruned a sweep or two after the removal.
      const { sessions } = rig.server!.context;
      for (let i = 0; i < 100 && sessions.ownerOf('g') !== undefined; i += 1) await delay(50);
      const join = { type: 'join_party', party_id: 'party_abc123', peer: peerDict('g') };
      expect(await rejoined.request(join)).toMatchObject({ type: 'party_update' });
      const beat = { type: 'heartbeat', party_id: 'party_abc123', peer_id: 'g' };
      const keep = setInterval(() => rejoined.send(beat), 100);
      onTestFinished(() => clearInterval(keep));
      const back = await rig.connect();
      await back.hello(token);
      await delay(200);
      expect(back.received.filter((f) => f.type === 'peer_left')).toEqual([]);
    });
    expect(stranger.received.filter((f) => f.type === 'peer_left')).toEqual([]);
  });
});

describe('TimeoutNotices', () => {
  it('forgets notices after a day, and the oldest sessions past its bound', () => {
    const notices = new TimeoutNotices(2, discardAccess);
    notices.record('t1', { partyId: 'p', peerId: 'a', at: 0 });
    expect(notices.take('t1', NOTICE_TTL_MS)).toEqual([]);
    notices.record('t1', { partyId: 'p', peerId: 'a', at: 0 });
    notices.record('t2', { partyId: 'p', peerId: 'b', at: 0 });
    notices.record('t3', { partyId: 'p', peerId: 'c', at: 0 });
    expect(notices.size).toBe(2);
    expect(notices.take('t1', 1)).toEqual([]);
    expect(notices.take('t3', 1)).toEqual([{ partyId: 'p', peerId: 'c', at: 0 }]);
    notices.prune(NOTICE_TTL_MS);
    expect(notices.size).toBe(0);
  });

  it("a session token spelling a key's holder writes nothing that key is later told", () => {
    const notices = new TimeoutNotices(8, discardAccess);
    const kicked = { partyId: 'p', peerId: 'x', at: 0, kicked: { banned: false } };
    // A stranger whose session token is `key:<victim's key>` is kicked from its own party.
    notices.record('key:VICTIM', kicked);
    expect(notices.takeForKey('VICTIM', 1)).toEqual([]);
    // The key's own notices still arrive.
    notices.recordForKey('VICTIM', kicked);
    expect(notices.takeForKey('VICTIM', 1)).toEqual([kicked]);
  });
});
