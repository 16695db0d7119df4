/**
 * Two servers on one Redis (issue 12): members connected to either see each other's join,
 * leave and presence within 250 ms; the sweep runs on exactly one of them.
 */
import { describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../shared/test-support/memory-logger';
import { delay, guestJoins, hostParty, peerDict } from '../test-util/support';
import { twoServersOnRedis } from './test-util/backend-cases';

const { backends, rigA, rigB } = twoServersOnRedis();

const within = async <T>(ms: number, what: Promise<T>): Promise<T> => {
  const started = performance.now();
  const value = await what;
  expect(performance.now() - started).toBeLessThan(ms);
  return value;
};

describe('two servers on one Redis', () => {
  it('members on each see the others join, change presence and leave within 250 ms', async () => {
    await rigA.start({ backend: await backends.redisBackend('two') });
    await rigB.start({ backend: await backends.redisBackend('two') });
    const host = await rigA.connect();
    await hostParty(host, 'party_p1', 'h');
    const b = await rigB.connect();
    await b.hello();
    const joinedAt = performance.now();
    const answer = await b.request({
      type: 'join_party',
      party_id: 'party_p1',
      peer: peerDict('b'),
    });
    expect(answer).toMatchObject({ type: 'party_update', seq: 2 });
    const joined = await host.nextOfType('peer_joined', 2000);
    expect(performance.now() - joinedAt).toBeLessThan(250);
    expect(joined).toMatchObject({ peer: { peer_id: 'b' }, seq: 2 });

    await b.request({ type: 'heartbeat', party_id: 'party_p1', peer_id: 'b', rtt_ms: 42 });
    const status = await within(250, host.nextOfType('peer_status', 2000));
    expect(status).toMatchObject({ peer_id: 'b', rtt_ms: 42, seq: 3 });
    // And the other way: the host's presence reaches b on the other server.
    await host.request({ type: 'heartbeat', party_id: 'party_p1', peer_id: 'h', rtt_ms: 7 });
    expect(await within(250, b.nextOfType('peer_status', 2000))).toMatchObject({
      peer_id: 'h',
      seq: 4,
    });
    // A snapshot from either server is the same party at the same number.
    const fromB = await b.request({ type: 'get_party', party_id: 'party_p1' });
    const fromA = await host.request({ type: 'get_party', party_id: 'party_p1' });
    expect(fromB.party).toEqual(fromA.party);
    expect([fromA.seq, fromB.seq]).toEqual([4, 4]);

    // Signalling reaches a member connected to the other server.
    const signal = { type: 'signal', party_id: 'party_p1', from_peer_id: 'b', to_peer_id: 'h' };
    expect(await b.request({ ...signal, signal_data: { sdp: 'x' } })).toMatchObject({
      type: 'ack',
    });
    expect(await within(250, host.nextOfType('signal', 2000))).toMatchObject({
      from_peer_id: 'b',
      signal_data: { sdp: 'x' },
    });

    const leftAt = performance.now();
    await b.request({ type: 'leave_party', party_id: 'party_p1', peer_id: 'b' });
    expect(await host.nextOfType('peer_left', 2000)).toMatchObject({ peer_id: 'b', seq: 5 });
    expect(performance.now() - leftAt).toBeLessThan(250);
  });

  it('sweeps on exactly one server: the lock holder; the other takes over when it goes', async () => {
    const logs = [new MemoryLogger(), new MemoryLogger()];
    const fast = { sweepIntervalMs: 100, peerTimeoutMs: 1000, heartbeatIntervalS: 0.2 };
    const a = await rigA.start({
      ...fast,
      logger: logs[0],
      backend: await backends.redisBackend('sweep', { lockTtlMs: 600 }, logs[0]),
    });
    const b = await rigB.start({
      ...fast,
      logger: logs[1],
      backend: await backends.redisBackend('sweep', { lockTtlMs: 600 }, logs[1]),
    });
    const host = await rigA.connect();
    await hostParty(host, 'party_p1', 'h');
    const x = await rigB.connect();
    await x.hello();
    await x.request({ type: 'join_party', party_id: 'party_p1', peer: peerDict('x') });
    await x.close();
    let left: Record<string, unknown> | null = null;
    const waiting = host.nextOfType('peer_left', 8000).then((f) => (left = f));
    for (let i = 0; i < 80 && !left; i++) {
      await host.request({ type: 'heartbeat', party_id: 'party_p1', peer_id: 'h' });
      await delay(100);
    }
    expect(await waiting).toMatchObject({ peer_id: 'x', reason: 'timeout' });
    const sweeps = logs.map((l) => l.messages('info').filter((m) => m.startsWith('Stale sweep')));
    expect(sweeps.flat()).toHaveLength(1);
    expect(a.context.service.parties.get('party_p1')?.peers.has('x')).toBe(false);
    expect(b.context.service.parties.get('party_p1')?.peers.has('x')).toBe(false);

    // The first server holds the lock; once it is gone the other takes it.
    expect(logs[0]!.messages('info')).toContain('This server now runs the sweeps');
    expect(logs[1]!.messages('info')).not.toContain('This server now runs the sweeps');
    await rigA.cleanup();
    for (let i = 0; i < 40; i++) {
      if (logs[1]!.messages('info').includes('This server now runs the sweeps')) break;
      await delay(50);
    }
    expect(logs[1]!.messages('info')).toContain('This server now runs the sweeps');
  });

  it('changes to one party made at once on both servers are all kept, none refused', async () => {
    const a = await rigA.start({ backend: await backends.redisBackend('race') });
    const b = await rigB.start({ backend: await backends.redisBackend('race') });
    const host = await rigA.connect();
    await hostParty(host, 'party_p1', 'h');
    const joiners = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const c = await (i % 2 === 0 ? rigA : rigB).connect();
        await c.hello();
        return c;
      }),
    );
    const answers = await Promise.all(
      joiners.map((c, i) =>
        c.request({ type: 'join_party', party_id: 'party_p1', peer: peerDict(`m${i}`) }, 10_000),
      ),
    );
    expect(answers.map((f) => f.type)).toEqual(Array(16).fill('party_update'));
    const expected = ['h', ...Array.from({ length: 16 }, (_, i) => `m${i}`)].sort();
    for (const server of [a, b]) {
      await delay(100);
      const party = server.context.service.parties.get('party_p1')!;
      expect([...party.peers.keys()].sort()).toEqual(expected);
      // Every join numbered once: 1 (created) + 16.
      expect(server.context.service.seqOf('party_p1')).toBe(17);
    }
    // The host saw every join exactly once, numbered 2..17 in order.
    const seen: number[] = [];
    for (let i = 0; i < 16; i++) seen.push((await host.nextOfType('peer_joined')).seq as number);
    expect(seen).toEqual(Array.from({ length: 16 }, (_, i) => i + 2));
  });

  it('a party made on one server can be joined on another that has not heard of it yet', async () => {
    await rigA.start({ backend: await backends.redisBackend('behind') });
    // B never hears the published changes: only reading Redis back can find the party.
    const deaf = await backends.redisBackend('behind');
    const b = await rigB.start({ backend: { ...deaf, follow: () => Promise.resolve() } });
    const host = await rigA.connect();
    await hostParty(host, 'party_p1', 'h');
    expect(b.context.service.parties.has('party_p1')).toBe(false);
    const { guest, answer } = await guestJoins(rigB, 'party_p1', 'g');
    expect(answer).toMatchObject({ type: 'party_update', seq: 2 });
    expect(await host.nextOfType('peer_joined', 2000)).toMatchObject({ seq: 2 });
    const missing = await guest.request({ type: 'get_party', party_id: 'party_none' });
    expect(missing).toMatchObject({ type: 'error', code: 'not_found' });
  });
});
