import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_QUOTAS, NO_QUOTAS, type QuotaOptions } from './quotas';
import { SENDER_SHARE } from './signal-budget';
import { TestRig, clockAt, delay, peerDict, type RawClient } from '../test-util/support';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const start = (quotas: Partial<QuotaOptions>, now?: () => number) =>
  rig.start({ quotas: { ...NO_QUOTAS, ...quotas }, ...(now ? { clock: clockAt(now) } : {}) });

const register = (c: RawClient, partyId: string, hostId: string) =>
  c.request({ type: 'register_party', party_id: partyId, name: 'P', host_peer: peerDict(hostId) });

describe('signal budget per sender and recipient', () => {
  const signal = (from: string, to: string) => ({
    type: 'signal',
    party_id: 'party_sig_x',
    from_peer_id: from,
    to_peer_id: to,
    signal_data: 'x'.repeat(900),
  });

  /** The host `h` and a member for each id, joined to party_sig_x; the clock stands still. */
  async function party(...ids: string[]) {
    await start({ signalBytesPerSecond: 1024 }, () => 1_000_000);
    const host = await rig.connect();
    await host.hello();
    await register(host, 'party_sig_x', 'h');
    const members: RawClient[] = [];
    for (const id of ids) {
      const member = await rig.connect();
      await member.hello();
      await member.request({ type: 'join_party', party_id: 'party_sig_x', peer: peerDict(id) });
      members.push(member);
    }
    return { host, members };
  }

  it('refuses the sender once it sent a peer its burst of signals; the peer stays connected', async () => {
    const { host, members } = await party('m');
    const answers: unknown[] = [];
    for (let i = 0; i < 6; i++)
      answers.push((await members[0]!.request(signal('m', 'h'))).code ?? 'ack');
    // Burst 4 KiB: four frames of ~1 KiB pass, then the sender is refused.
    expect(answers).toEqual(['ack', 'ack', 'ack', 'ack', 'rate_limited', 'rate_limited']);
    expect(host.received.filter((f) => f.type === 'signal')).toHaveLength(4);
    expect(rig.server!.context.presence.isConnected('h')).toBe(true);
  });

  it("a member who spent its budget to the host does not spend anyone else's", async () => {
    const { host, members } = await party('mallory', 'cid');
    const [mallory, cid] = members as [RawClient, RawClient];
    for (let i = 0; i < 4; i++) await mallory.request(signal('mallory', 'h'));
    const refused = await mallory.request(signal('mallory', 'h'));
    expect(refused).toMatchObject({ code: 'rate_limited' });
    expect(refused.message).toMatch(/You are sending h too many signals/);
    // Cid's signals to the host still go through (they were refused while Mallory's flowed).
    for (let i = 0; i < 4; i++) expect((await cid.request(signal('cid', 'h'))).type).toBe('ack');
    const fromCid = host.received.filter((f) => f.type === 'signal' && f.from_peer_id === 'cid');
    expect(fromCid).toHaveLength(4);
  });

  it("caps what one sender sends all members together at SENDER_SHARE pairs' budgets", async () => {
    const ids = Array.from({ length: SENDER_SHARE + 1 }, (_, i) => `p${i}`);
    const { members } = await party(...ids);
    const [sender] = members as [RawClient];
    const answers: string[] = [];
    for (const to of ['h', ...ids.slice(1, SENDER_SHARE)]) {
      for (let i = 0; i < 4; i++)
        answers.push(
          ((await sender.request(signal('p0', to))).code as string | undefined) ?? 'ack',
        );
    }
    // Each pair's 4 KiB burst in frames of ~1 KiB, to 8 members: about the total's 32 KiB.
    expect(answers.slice(0, 4 * SENDER_SHARE - 2)).not.toContain('rate_limited');
    // A member it never sent to: that pair's budget is whole, the sender's total is not.
    const refused = await sender.request(signal('p0', `p${SENDER_SHARE}`));
    expect(refused).toMatchObject({ code: 'rate_limited' });
    expect(refused.message).toMatch(/You are sending too many signals/);
  });
});

describe('party quotas', () => {
  it('refuses a peer hosting more than its share; ending one frees a slot', async () => {
    await start({ maxPartiesPerPeer: 2 });
    const c = await rig.connect();
    await c.hello();
    expect((await register(c, 'party_p1_x', 'h')).type).toBe('party_update');
    expect((await register(c, 'party_p2_x', 'h')).type).toBe('party_update');
    const refused = await register(c, 'party_p3_x', 'h');
    expect(refused).toMatchObject({ type: 'error', code: 'quota_exceeded' });
    expect(refused.message).toMatch(/already hosts 2 parties/);
    expect((await register(c, 'party_p3_x', 'other')).type).toBe('party_update');
    await c.request({ type: 'leave_party', party_id: 'party_p1_x', peer_id: 'h' });
    expect((await register(c, 'party_p4_x', 'h')).type).toBe('party_update');
    expect(rig.server!.context.service.parties.has('party_p3_x')).toBe(true);
  });

  it('refuses an address hosting more than its share; another address is not affected', async () => {
    await start({ maxPartiesPerAddress: 2 });
    const a = await rig.connect();
    const b = await rig.connect();
    await register(a, 'party_p1_x', 'h1');
    await register(b, 'party_p2_x', 'h2');
    expect(await register(a, 'party_p3_x', 'h3')).toMatchObject({ code: 'quota_exceeded' });
    expect(await register(b, 'party_p3_x', 'h3')).toMatchObject({ code: 'quota_exceeded' });
    const elsewhere = await rig.connect(undefined, '127.0.0.2');
    expect((await register(elsewhere, 'party_p3_x', 'h3')).type).toBe('party_update');
    expect([...rig.server!.context.service.parties.keys()].sort()).toEqual([
      'party_p1_x',
      'party_p2_x',
      'party_p3_x',
    ]);
  });

  it('limits party creations per address per minute, then allows them again', async () => {
    let now = 1_000_000;
    await start({ creationsPerMinute: 3 }, () => now);
    const c = await rig.connect();
    for (let i = 0; i < 3; i += 1)
      expect((await register(c, `party_p${i}_x`, `h${i}`)).type).toBe('party_update');
    const refused = await register(c, 'party_p3_x', 'h3');
    expect(refused).toMatchObject({ type: 'error', code: 'quota_exceeded' });
    expect(refused.message).toMatch(/try again in a minute/);
    // Leaving does not give creations back: the quota is on creating, not on holding.
    await c.request({ type: 'leave_party', party_id: 'party_p0_x', peer_id: 'h0' });
    expect(await register(c, 'party_p3_x', 'h3')).toMatchObject({ code: 'quota_exceeded' });
    now += 60_000;
    expect((await register(c, 'party_p3_x', 'h3')).type).toBe('party_update');
  });

  // 1.12: each going_to_sleep (then a beat) is an event to every member, and stored: a member
  // flipping asleep and awake in a loop is bounded as joins and leaves are.
  it('counts going to sleep as churn: a member flipping asleep and awake is bounded', async () => {
    await start({ churnPerMinute: 4 }, () => 1_000_000);
    const host = await rig.connect();
    await host.request({ type: 'hello', version: '1.12', client: 'lanrage' });
    await register(host, 'party_p1_x', 'h');
    const sleeper = await rig.connect();
    await sleeper.request({ type: 'join_party', party_id: 'party_p1_x', peer: peerDict('s') });
    const answers = [];
    for (let i = 0; i < 5; i += 1) {
      const at = { party_id: 'party_p1_x', peer_id: 's' };
      answers.push((await sleeper.request({ type: 'going_to_sleep', ...at })).type);
      await sleeper.request({ type: 'heartbeat', ...at });
    }
    expect(answers).toEqual(['ack', 'ack', 'ack', 'error', 'error']);
    await delay(50);
    const asleep = host.received.filter((f) => f.type === 'peer_status' && f.status === 'asleep');
    expect(asleep).toHaveLength(3);
  });

  it('limits join/leave churn per connection; other connections keep joining', async () => {
    await start({ churnPerMinute: 4 });
    const host = await rig.connect();
    await register(host, 'party_p1_x', 'h');
    const churner = await rig.connect();
    const answers = [];
    for (let i = 0; i < 3; i += 1) {
      answers.push(
        await churner.request({ type: 'join_party', party_id: 'party_p1_x', peer: peerDict('x') }),
      );
      answers.push(
        await churner.request({ type: 'leave_party', party_id: 'party_p1_x', peer_id: 'x' }),
      );
    }
    expect(answers.map((a) => a.type)).toEqual([
      'party_update',
      'ack',
      'party_update',
      'ack',
      'error',
      'error',
    ]);
    expect(answers[4]).toMatchObject({ code: 'quota_exceeded' });
    const other = await rig.connect();
    expect(
      (await other.request({ type: 'join_party', party_id: 'party_p1_x', peer: peerDict('y') }))
        .type,
    ).toBe('party_update');
  });
});

describe('update_peer coalescing', () => {
  async function party(intervalMs: number) {
    await start({ updateIntervalMs: intervalMs });
    const host = await rig.connect();
    await register(host, 'party_p1_x', 'h');
    const member = await rig.connect();
    await member.request({ type: 'join_party', party_id: 'party_p1_x', peer: peerDict('m') });
    await host.nextOfType('peer_joined');
    return { host, member };
  }
  const rename = (c: RawClient, name: string) =>
    c.request({ type: 'update_peer', party_id: 'party_p1_x', peer: peerDict('m', { name }) });
  const snapshotsOf = (c: RawClient) => c.received.filter((f) => f.type === 'party_update');

  it('fans out 30 quick renames as at most two snapshots, the last name winning; every request is acked', async () => {
    const { host, member } = await party(1000);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => rename(member, `Name ${i}`)),
    );
    expect(answers.every((a) => a.type === 'ack')).toBe(true);
    await delay(200);
    const snapshots = snapshotsOf(host);
    expect(snapshots.length).toBeGreaterThanOrEqual(1);
    expect(snapshots.length).toBeLessThanOrEqual(2);
    const last = snapshots.at(-1)!.party as { peers: Record<string, { name: string }> };
    expect(last.peers.m!.name).toBe('Name 29');
    expect(rig.server!.context.service.parties.get('party_p1_x')!.peers.get('m')!.name).toBe(
      'Name 29',
    );
  });

  it('applies a rename at once when the peer has been quiet for the interval', async () => {
    const { host, member } = await party(300);
    await rename(member, 'First');
    await delay(350);
    const t0 = performance.now();
    expect((await rename(member, 'Second')).type).toBe('ack');
    expect(performance.now() - t0).toBeLessThan(250);
    await delay(50);
    expect(snapshotsOf(host)).toHaveLength(2);
  });

  it('refuses an update for a non-member at once, and fails a held one whose peer left', async () => {
    const { member } = await party(1000);
    const stranger = await rig.connect();
    const refused = await stranger.request({
      type: 'update_peer',
      party_id: 'party_p1_x',
      peer: peerDict('zz'),
    });
    expect(refused).toMatchObject({ type: 'error', code: 'not_found' });
    await rename(member, 'Applied');
    const held = rename(member, 'Held');
    await member.request({ type: 'leave_party', party_id: 'party_p1_x', peer_id: 'm' });
    expect(await held).toMatchObject({ type: 'error', code: 'not_found' });
  });
});

describe('snapshot budget', () => {
  /**
   * A party of 200 made over one connection; the clock is frozen, so budgets never refill
   * and exactly their bursts get through. Returns the connection and the snapshot's size.
   */
  async function bigParty(
    budgets: Partial<QuotaOptions> = DEFAULT_QUOTAS,
  ): Promise<{ c: RawClient; size: number }> {
    const { snapshotBytesPerSecond, addressSnapshotBytesPerSecond } = { ...NO_QUOTAS, ...budgets };
    await rig.start({
      quotas: { ...NO_QUOTAS, snapshotBytesPerSecond, addressSnapshotBytesPerSecond },
      rateLimit: null,
      maxBufferedBytes: 1 << 30,
      clock: clockAt(() => 0),
    });
    const c = await rig.connect();
    await register(c, 'party_big_x', 'p0');
    const joins = [];
    for (let i = 1; i < 200; i += 1) {
      joins.push(
        c.request({ type: 'join_party', party_id: 'party_big_x', peer: peerDict(`p${i}`) }),
      );
    }
    await Promise.all(joins);
    // The answer's party plus its members' presence (protocol 1.1): both count.
    const { service } = rig.server!.context;
    const size =
      JSON.stringify(service.parties.get('party_big_x')!.toStoredDict()).length +
      JSON.stringify(service.presence.presenceOf('party_big_x')).length;
    return { c, size };
  }

  it('answers get_party up to the per-connection snapshot budget, then rate_limited with the request_id', async () => {
    const { c, size } = await bigParty();
    const answers = [];
    for (let i = 0; i < 40; i += 1)
      answers.push(await c.request({ type: 'get_party', party_id: 'party_big_x' }));
    const served = answers.filter((a) => a.type === 'party_update').length;
    expect(served).toBe(Math.floor((2 * DEFAULT_QUOTAS.snapshotBytesPerSecond) / size));
    expect(
      answers.slice(served).every((a) => a.type === 'error' && a.code === 'rate_limited'),
    ).toBe(true);
  });

  it('shares an address budget between connections, so reconnecting does not refill it', async () => {
    const { c: member, size } = await bigParty();
    // Snapshots go to members only (issue 10): each new connection resumes the member's session.
    const token = await member.hello();
    const perConnection = Math.floor((2 * DEFAULT_QUOTAS.snapshotBytesPerSecond) / size);
    const perAddress = Math.floor((4 * DEFAULT_QUOTAS.addressSnapshotBytesPerSecond) / size);
    let served = 0;
    for (let c = 0; c < Math.ceil(perAddress / perConnection) + 2; c += 1) {
      const client = await rig.connect();
      await client.hello(token);
      for (let i = 0; i <= perConnection; i += 1) {
        const answer = await client.request({ type: 'get_party', party_id: 'party_big_x' });
        if (answer.type === 'party_update') served += 1;
        else expect(answer).toMatchObject({ code: 'rate_limited' });
      }
    }
    expect(served).toBe(perAddress);
    const elsewhere = await rig.connect(undefined, '127.0.0.2');
    await elsewhere.hello(token);
    expect((await elsewhere.request({ type: 'get_party', party_id: 'party_big_x' })).type).toBe(
      'party_update',
    );
  });

  it('takes its budgets from the options (--snapshot-kib-per-second[-per-ip]); 0 is no limit', async () => {
    const perSecond = 6 * 1024 * 1024;
    const { c, size } = await bigParty({
      snapshotBytesPerSecond: perSecond,
      addressSnapshotBytesPerSecond: 0,
    });
    const burst = Math.floor((2 * perSecond) / size);
    // More than the default address burst (8 MiB) lets through: that budget is off.
    expect(burst * size).toBeGreaterThan(4 * DEFAULT_QUOTAS.addressSnapshotBytesPerSecond);
    let served = 0;
    for (let i = 0; i < burst + 5; i += 1) {
      const answer = await c.request({ type: 'get_party', party_id: 'party_big_x' });
      if (answer.type === 'party_update') served += 1;
    }
    expect(served).toBe(burst);
  });

  it('serves every snapshot with both budgets off', async () => {
    const { c } = await bigParty({ snapshotBytesPerSecond: 0, addressSnapshotBytesPerSecond: 0 });
    const answers = [];
    for (let i = 0; i < 200; i += 1)
      answers.push(await c.request({ type: 'get_party', party_id: 'party_big_x' }));
    expect(answers.every((a) => a.type === 'party_update')).toBe(true);
  });
});

describe('message budget per address', () => {
  it('is shared by an address’s connections, refused before reading, and spares other addresses', async () => {
    // 5 a second, burst 20; the clock stands still, so nothing refills.
    await start({ addressMessagesPerSecond: 5 }, () => 0);
    const a = await rig.connect();
    const b = await rig.connect();
    const other = await rig.connect(undefined, '127.0.0.2');
    const answers: string[] = [];
    for (let i = 0; i < 11; i++) {
      for (const c of [a, b]) answers.push((await c.request({ type: 'hello' })).type);
    }
    expect(answers.filter((t) => t === 'welcome')).toHaveLength(20);
    a.send({ type: 'hello', request_id: 'late' });
    const refused = await a.next((f) => f.request_id === 'late');
    expect(refused).toMatchObject({ type: 'error', code: 'rate_limited' });
    expect(refused.message).toBe('Too many messages from your address; slow down');
    // Not read at all: a frame that is not even JSON gets the same answer.
    a.sendRaw('{"request_id":"junk", not json');
    expect(await a.next((f) => f.request_id === 'junk')).toMatchObject({ code: 'rate_limited' });
    expect((await other.request({ type: 'hello' })).type).toBe('welcome');
  });

  it('cuts a connection that keeps sending while its address is refused, not the others', async () => {
    const rateLimit = { burst: 1000, perSecond: 1000, maxStrikes: 3 };
    await rig.start({
      quotas: { ...NO_QUOTAS, addressMessagesPerSecond: 5 },
      rateLimit,
      clock: clockAt(() => 0),
    });
    const flooder = await rig.connect();
    const quiet = await rig.connect();
    expect((await quiet.request({ type: 'hello' })).type).toBe('welcome');
    for (let i = 0; i < 19; i++) await flooder.request({ type: 'hello' });
    for (let i = 0; i < 3; i++) {
      expect(await flooder.request({ type: 'hello' })).toMatchObject({ code: 'rate_limited' });
    }
    flooder.send({ type: 'hello' });
    await vi.waitFor(() => expect(flooder.closeCode).toBe(1008));
    // The quiet one, refused once for the same address, is still served when it refills.
    expect(await quiet.request({ type: 'hello' })).toMatchObject({ code: 'rate_limited' });
    expect(quiet.closeCode).toBeNull();
  });

  it('counts a frame one more for each KiB it holds', async () => {
    await start({ addressMessagesPerSecond: 5 }, () => 0);
    const c = await rig.connect();
    // 19 KiB of padding: a cost of 20, the whole burst; the next frame is refused.
    const big = { type: 'hello', client: 'x', padding: 'p'.repeat(19 * 1024) };
    expect((await c.request(big)).type).toBe('welcome');
    expect(await c.request({ type: 'hello' })).toMatchObject({ code: 'rate_limited' });
  });

  it('refills with time, and 0 turns it off', async () => {
    let now = 0;
    await start({ addressMessagesPerSecond: 5 }, () => now);
    const c = await rig.connect();
    for (let i = 0; i < 20; i++) await c.request({ type: 'hello' });
    expect(await c.request({ type: 'hello' })).toMatchObject({ code: 'rate_limited' });
    now += 1000;
    expect((await c.request({ type: 'hello' })).type).toBe('welcome');
    await rig.cleanup();
    await start({ addressMessagesPerSecond: 0 }, () => 0);
    const free = await rig.connect();
    for (let i = 0; i < 30; i++)
      expect((await free.request({ type: 'hello' })).type).toBe('welcome');
  });
});
