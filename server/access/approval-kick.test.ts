import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendCases } from '../state/test-util/backend-cases';
import { PROTOCOL_VERSION } from '../../shared/protocol/protocol';
import { delay, type RawClient } from '../test-util/support';
import { APPROVAL_TIMEOUT_MS, MAX_PENDING_PER_ADDRESS } from './approvals';
import { DoorRig, PARTY } from './test-util/door';
import { TestIdentity } from './test-util/identity';

const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());

const door = new DoorRig();
const rig = door.rig;
afterEach(() => rig.cleanup());

const hosted = (settings?: Record<string, unknown>, approvalCheckMs?: number) =>
  door.hosted(settings, approvalCheckMs);
const joiner = (identity?: TestIdentity) => door.joiner(identity);
const join = (c: RawClient, peerId: string) => door.join(c, peerId);
const accept = (host: RawClient, peerId: string) => door.answer(host, peerId);
const closeWhileWaiting = (c: RawClient, peerId: string) => door.closeWhileWaiting(c, peerId);

describe.each(backends.cases)('%s backend', (_name, options) => {
  beforeEach(() => {
    door.backend = options;
    door.hostVersion = '1.0';
  });

  describe('approval (issue 10)', () => {
    it('one address gets a few places at the door, not all of them; a friend elsewhere still knocks', async () => {
      await hosted({ join_policy: 'approval' });
      const stranger = await joiner();
      const answers = await Promise.all(
        Array.from({ length: MAX_PENDING_PER_ADDRESS + 3 }, (_, i) => join(stranger, `s${i}`)),
      );
      const types = answers.map((a) => a.code ?? a.type);
      expect(types.filter((t) => t === 'join_pending')).toHaveLength(MAX_PENDING_PER_ADDRESS);
      expect(types.filter((t) => t === 'rate_limited')).toHaveLength(3);
      // Asking again under a waiting peer id keeps its place.
      expect(await join(stranger, 's0')).toMatchObject({ type: 'join_pending' });
      const friend = await rig.connect(undefined, '127.0.0.2');
      await friend.hello();
      expect(await join(friend, 'friend')).toMatchObject({ type: 'join_pending' });
    });

    it('the joiner waits, the host is asked, and an accept lets the joiner in', async () => {
      const host = await hosted({ join_policy: 'approval' });
      const me = new TestIdentity();
      const g = await joiner(me);
      expect(await join(g, 'g')).toMatchObject({ type: 'join_pending', party_id: PARTY });
      const asked = await host.nextOfType('join_request');
      expect(asked).toMatchObject({ party_id: PARTY, peer_id: 'g', name: 'Player g' });
      expect(asked.key_fingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){7}$/);
      expect(rig.server!.context.service.parties.get(PARTY)!.peers.has('g')).toBe(false);
      const ok = await accept(host, 'g');
      expect(ok.type).toBe('ack');
      const update = await g.nextOfType('party_update');
      expect(Object.keys(update.party as { peers: object }).length).toBeGreaterThan(0);
      expect((update.party as { peers: Record<string, unknown> }).peers).toHaveProperty('g');
    });

    it('a joiner that leaves while waiting takes its request back; the host can no longer let it in', async () => {
      const host = await hosted({ join_policy: 'approval' });
      const g = await joiner();
      await join(g, 'g');
      await host.nextOfType('join_request');
      expect(await g.request({ type: 'leave_party', party_id: PARTY, peer_id: 'g' })).toMatchObject(
        {
          type: 'ack',
        },
      );
      expect(await host.nextOfType('join_request_closed')).toMatchObject({
        peer_id: 'g',
        reason: 'cancelled',
      });
      const late = await accept(host, 'g');
      expect(late).toMatchObject({ type: 'error', code: 'not_found' });
      expect(rig.server!.context.service.parties.get(PARTY)!.peers.has('g')).toBe(false);
    });

    it('a joiner whose app closed while it waited is let in offline; one still connected, online', async () => {
      const host = await hosted({ join_policy: 'approval' });
      const gone = await joiner();
      const here = await joiner();
      await join(gone, 'gone');
      await join(here, 'here');
      await host.nextOfType('join_request');
      const approvals = await closeWhileWaiting(gone, 'gone');
      expect(approvals.get(PARTY, 'here')?.goneAt).toBeUndefined();
      const goneAt = approvals.get(PARTY, 'gone')!.goneAt!;
      door.now += 40_000;
      expect((await accept(host, 'gone')).type).toBe('ack');
      expect((await accept(host, 'here')).type).toBe('ack');
      // 1.5: the join itself says offline, last seen when it left, 40 s before it was let in.
      const offline = { status: 'offline', last_seen: new Date(goneAt).toISOString() };
      const joined = (id: string) => (f: Record<string, unknown>) =>
        f.type === 'peer_joined' && (f.peer as { peer_id: string }).peer_id === id;
      expect((await host.next(joined('gone'))).presence).toMatchObject(offline);
      expect(await host.next(joined('here'))).not.toHaveProperty('presence');
      // Older apps ignore it and take the peer_status behind it.
      const status = await host.next((f) => f.type === 'peer_status' && f.peer_id === 'gone');
      expect(status).toMatchObject(offline);
      const table = rig.server!.context.service.presence.presenceOf(PARTY);
      expect(table['gone']?.status).toBe('offline');
      expect(table['here']?.status).toBe('online');
    });

    it('a joiner that comes back with its session while it waits is let in online', async () => {
      const host = await hosted({ join_policy: 'approval' });
      const first = await rig.connect();
      const token = await first.hello();
      await join(first, 'g');
      await host.nextOfType('join_request');
      const approvals = await closeWhileWaiting(first, 'g');
      const back = await rig.connect();
      await back.hello(token);
      expect(approvals.get(PARTY, 'g')?.goneAt).toBeUndefined();
      expect((await accept(host, 'g')).type).toBe('ack');
      expect(await back.nextOfType('party_update')).toMatchObject({ party: { party_id: PARTY } });
      await delay(50);
      expect(rig.server!.context.service.presence.presenceOf(PARTY)['g']?.status).toBe('online');
    });

    it('a reject is told to the joiner as rejected', async () => {
      const host = await hosted({ join_policy: 'approval' });
      const g = await joiner();
      await join(g, 'g');
      await host.nextOfType('join_request');
      await host.request({ type: 'answer_join', party_id: PARTY, peer_id: 'g', accept: false });
      expect(await g.nextOfType('error')).toMatchObject({ code: 'rejected', party_id: PARTY });
      expect(rig.server!.context.service.parties.get(PARTY)!.peers.has('g')).toBe(false);
    });

    it('the host ending the party while a joiner waits: the joiner hears party_ended, not rejected', async () => {
      const host = await hosted({ join_policy: 'approval' });
      const g = await joiner();
      await join(g, 'g');
      await host.nextOfType('join_request');
      const close = { type: 'close_party', party_id: PARTY, peer_id: 'h' };
      expect(await host.request(close)).toMatchObject({ type: 'ack' });
      expect(await g.nextOfType('error')).toMatchObject({
        code: 'party_ended',
        party_id: PARTY,
        message: 'The party ended before the host let you in.',
      });
      expect(rig.server!.context.access.approvals.get(PARTY, 'g')).toBeUndefined();
    });

    it('a request expires after two minutes: the joiner hears join_expired, the host that it closed', async () => {
      const host = await hosted({ join_policy: 'approval' });
      const g = await joiner();
      await join(g, 'g');
      await host.nextOfType('join_request');
      door.now += APPROVAL_TIMEOUT_MS + 1000;
      expect(await g.nextOfType('error')).toMatchObject({ code: 'join_expired', party_id: PARTY });
      expect(await host.nextOfType('join_request_closed')).toMatchObject({ reason: 'expired' });
      const late = await accept(host, 'g');
      expect(late).toMatchObject({ type: 'error', code: 'not_found' });
    });

    it('an answer after the two minutes is refused, even before the expiry check ran', async () => {
      const host = await hosted({ join_policy: 'approval' }, 60_000);
      const g = await joiner();
      await join(g, 'g');
      await host.nextOfType('join_request');
      door.now += APPROVAL_TIMEOUT_MS;
      const answer = { type: 'answer_join', party_id: PARTY, peer_id: 'g', accept: true };
      expect(await host.request(answer)).toMatchObject({ type: 'error', code: 'not_found' });
      const cancel = { type: 'cancel_join', party_id: PARTY, peer_id: 'g' };
      expect(await g.request(cancel)).toMatchObject({ type: 'error', code: 'not_found' });
      expect(rig.server!.context.service.parties.get(PARTY)!.peers.has('g')).toBe(false);
    });

    it('the joiner may cancel; only the host may answer', async () => {
      const host = await hosted({ join_policy: 'approval' });
      const g = await joiner();
      await join(g, 'g');
      await host.nextOfType('join_request');
      const other = await joiner();
      const forged = await other.request({
        type: 'answer_join',
        party_id: PARTY,
        peer_id: 'g',
        accept: true,
      });
      expect(forged).toMatchObject({ type: 'error', code: 'forbidden' });
      expect((await g.request({ type: 'cancel_join', party_id: PARTY, peer_id: 'g' })).type).toBe(
        'ack',
      );
      expect(await host.nextOfType('join_request_closed')).toMatchObject({ reason: 'cancelled' });
    });
  });

  describe('kick and ban (issue 10)', () => {
    it('a kicked member is told; the others see peer_left with reason kicked', async () => {
      const host = await hosted();
      const a = await joiner();
      const b = await joiner();
      await join(a, 'a');
      await join(b, 'b');
      await host.nextOfType('peer_joined');
      const ok = await host.request({ type: 'kick_peer', party_id: PARTY, peer_id: 'a' });
      expect(ok.type).toBe('ack');
      expect(await a.nextOfType('kicked')).toMatchObject({ party_id: PARTY, banned: false });
      expect(await b.next((f) => f.type === 'peer_left' && f.peer_id === 'a')).toMatchObject({
        reason: 'kicked',
      });
      expect((await join(a, 'a')).type).toBe('party_update');
    });

    it('a ban holds the key: a new session and a new peer id stay out until unban', async () => {
      const host = await hosted();
      const me = new TestIdentity();
      const a = await joiner(me);
      await join(a, 'a');
      await host.request({ type: 'kick_peer', party_id: PARTY, peer_id: 'a', ban: true });
      expect(await a.nextOfType('kicked')).toMatchObject({ banned: true });
      const again = await joiner(me);
      expect(await join(again, 'a')).toMatchObject({ code: 'banned' });
      expect(await join(again, 'a2')).toMatchObject({ code: 'banned' });
      const bans = await host.request({ type: 'list_bans', party_id: PARTY });
      expect(bans.bans).toMatchObject([{ peer_id: 'a', name: 'Player a' }]);
      await host.request({ type: 'unban', party_id: PARTY, peer_id: 'a' });
      expect((await join(again, 'a2')).type).toBe('party_update');
    });

    it("a ban by key removes the key's other peer ids from the party, and they stay out", async () => {
      const host = await hosted();
      const me = new TestIdentity();
      const a = await joiner(me);
      await join(a, 'e1');
      await join(a, 'e2');
      const bystander = await joiner();
      await join(bystander, 'b');
      await host.request({ type: 'kick_peer', party_id: PARTY, peer_id: 'e1', ban: true });
      const peers = rig.server!.context.service.parties.get(PARTY)!.peers;
      expect([...peers.keys()].sort()).toEqual(['b', 'h']);
      expect(await join(a, 'e2')).toMatchObject({ code: 'banned' });
      // Both were told, before that answer on the same socket.
      const kicked = a.received.filter((f) => f.type === 'kicked');
      expect(kicked.map((f) => f.banned)).toEqual([true, true]);
    });

    // Only the id the host named read "banned" in its activity: its key's others, "removed".
    it.each([
      [PROTOCOL_VERSION, 'banned'],
      ['1.10', 'kicked'],
    ])(
      'a ban by key: a %s host is told each id it removes left as %s, the others kicked, one number each',
      async (version, toHost) => {
        door.hostVersion = version;
        const host = await hosted();
        const a = await joiner(new TestIdentity());
        await join(a, 'e1');
        await join(a, 'e2');
        const bystander = await joiner();
        await join(bystander, 'b');
        await host.request({ type: 'kick_peer', party_id: PARTY, peer_id: 'e1', ban: true });
        await bystander.roundTrip();
        const left = (c: RawClient) =>
          c.received.filter((f) => f.type === 'peer_left').map((f) => [f.peer_id, f.reason, f.seq]);
        const [first, second] = left(host).map(([, , seq]) => seq);
        expect(left(host)).toEqual([
          ['e1', toHost, first],
          ['e2', toHost, second],
        ]);
        expect(left(bystander)).toEqual([
          ['e1', 'kicked', first],
          ['e2', 'kicked', second],
        ]);
        expect(second).toBe(Number(first) + 1);
      },
    );

    it('a ban holds a keyless peer id too', async () => {
      const host = await hosted();
      const a = await joiner();
      const token = await a.hello();
      await join(a, 'a');
      await host.request({ type: 'kick_peer', party_id: PARTY, peer_id: 'a', ban: true });
      const back = await rig.connect();
      await back.hello(token);
      expect(await join(back, 'a')).toMatchObject({ code: 'banned' });
    });

    it('only the host kicks, and not itself', async () => {
      const host = await hosted();
      const a = await joiner();
      await join(a, 'a');
      expect(await a.request({ type: 'kick_peer', party_id: PARTY, peer_id: 'h' })).toMatchObject({
        code: 'forbidden',
      });
      expect(
        await host.request({ type: 'kick_peer', party_id: PARTY, peer_id: 'h' }),
      ).toMatchObject({
        code: 'bad_request',
      });
    });
  });
});
