import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { BackendCases, type BackendOptions } from '../state/test-util/backend-cases';
import { hostParty, peerDict, TestRig } from '../test-util/support';
import { TestIdentity } from './test-util/identity';

const backends = new BackendCases();
beforeAll(() => backends.start(), 20_000);
afterAll(() => backends.cleanup());
/** The backend of the suite running now (describe.each below). */
let backend: BackendOptions = () => Promise.resolve({});
const onBackend = async () => backend(randomUUID());

const rig = new TestRig();
afterEach(() => rig.cleanup());

const PARTY = 'party_strangers';

async function partyOfTwo() {
  await rig.start(await onBackend());
  const host = await rig.connect();
  await hostParty(host, PARTY, 'h');
  const guest = await rig.connect();
  await guest.hello();
  await guest.request({ type: 'join_party', party_id: PARTY, peer: peerDict('g') });
  return { host, guest };
}

describe.each(backends.cases)('%s backend', (_name, options) => {
  beforeEach(() => {
    backend = options;
  });

  describe('what strangers see (issue 10)', () => {
    it('get_party from a non-member answers the summary only: no addresses, ports or keys', async () => {
      await partyOfTwo();
      const stranger = await rig.connect();
      const answer = await stranger.request({ type: 'get_party', party_id: PARTY });
      expect(answer).toEqual({
        type: 'party_summary',
        party_id: PARTY,
        name: 'P',
        host_name: 'Player h',
        peer_count: 2,
        max_peers: 256,
        join_policy: 'open',
        visibility: 'private',
        locked: false,
        request_id: answer.request_id,
      });
      const text = JSON.stringify(answer);
      for (const secret of ['203.0.113.42', '192.168.1.100', '51820', 'key-h', 'key-g']) {
        expect(text).not.toContain(secret);
      }
    });

    it('a stranger who said hello learns no more than one who did not', async () => {
      await partyOfTwo();
      const stranger = await rig.connect();
      await stranger.hello();
      expect((await stranger.request({ type: 'get_party', party_id: PARTY })).type).toBe(
        'party_summary',
      );
    });

    it('a private invite-only party shows strangers nothing but that it asks for an invite', async () => {
      const { host, guest } = await partyOfTwo();
      const settings = { join_policy: 'invite_only' };
      await host.request({ type: 'update_party', party_id: PARTY, settings });
      const stranger = await rig.connect();
      await stranger.hello();
      const bare = await stranger.request({ type: 'get_party', party_id: PARTY });
      expect(bare).toMatchObject({
        type: 'error',
        code: 'invite_invalid',
        message: expect.stringMatching(
          /^This party only lets in people with an invite link/,
        ) as string,
      });
      for (const secret of ['"P"', 'Player h', 'peer_count']) {
        expect(JSON.stringify(bare)).not.toContain(secret);
      }
      const made = await host.request({ type: 'create_invite', party_id: PARTY, max_uses: 1 });
      const token = made.token as string;
      const wrong = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`;
      expect(
        await stranger.request({ type: 'get_party', party_id: PARTY, invite: wrong }),
      ).toMatchObject({
        code: 'invite_invalid',
        message: expect.stringContaining(
          'that invite has expired, been used up or been revoked',
        ) as string,
      });
      // A valid invite shows the summary, and looking does not spend it: it still lets one in.
      for (let i = 0; i < 2; i++) {
        expect(
          await stranger.request({ type: 'get_party', party_id: PARTY, invite: token }),
        ).toMatchObject({ type: 'party_summary', name: 'P', host_name: 'Player h' });
      }
      const joined = await stranger.request({
        type: 'join_party',
        party_id: PARTY,
        peer: peerDict('s'),
        invite: token,
      });
      expect(joined.type).toBe('party_update');
      // Members still get the whole party, without an invite.
      expect((await guest.request({ type: 'get_party', party_id: PARTY })).type).toBe(
        'party_update',
      );
    });

    it('join_party tells a stranger to a private invite-only party no more than get_party: not locked, not full', async () => {
      const { host } = await partyOfTwo();
      const settings = { join_policy: 'invite_only', visibility: 'private', max_peers: 3 };
      await host.request({ type: 'update_party', party_id: PARTY, settings });
      const made = await host.request({ type: 'create_invite', party_id: PARTY, max_uses: 1 });
      const stranger = await rig.connect();
      await stranger.hello();
      const probe = async (label: string, extra: Record<string, unknown> = {}) => {
        const join = { type: 'join_party', party_id: PARTY, peer: peerDict('s'), ...extra };
        expect(await stranger.request(join), label).toMatchObject({ code: 'invite_invalid' });
        const look = await stranger.request({ type: 'get_party', party_id: PARTY, ...extra });
        expect(look, label).toMatchObject({ code: 'invite_invalid' });
      };
      await probe('unlocked, room, no invite');
      await host.request({ type: 'update_party', party_id: PARTY, settings: { locked: true } });
      await probe('locked, no invite');
      await host.request({ type: 'update_party', party_id: PARTY, settings: { locked: false } });
      // A friend spends the only invite and fills the party.
      const friend = await rig.connect();
      await friend.hello();
      const invited = { type: 'join_party', party_id: PARTY, peer: peerDict('f') };
      expect(await friend.request({ ...invited, invite: made.token })).toMatchObject({
        type: 'party_update',
      });
      await probe('full, no invite');
      await probe('full, spent invite', { invite: made.token });
      // Someone holding a valid invite is still told why it cannot get in.
      const fresh = await host.request({ type: 'create_invite', party_id: PARTY });
      const withInvite = { type: 'join_party', party_id: PARTY, peer: peerDict('s') };
      expect(await stranger.request({ ...withInvite, invite: fresh.token })).toMatchObject({
        code: 'party_full',
      });
    });

    it('an invite-only party that is public, or private but open to a password, shows its summary', async () => {
      const { host } = await partyOfTwo();
      const stranger = await rig.connect();
      await stranger.hello();
      for (const settings of [
        { join_policy: 'invite_only', visibility: 'public' },
        { join_policy: 'password', password: 'letmein-42', visibility: 'private' },
      ]) {
        await host.request({ type: 'update_party', party_id: PARTY, settings });
        expect(
          await stranger.request({ type: 'get_party', party_id: PARTY }),
          JSON.stringify(settings),
        ).toMatchObject({ type: 'party_summary', name: 'P' });
      }
    });

    it('members get the whole party', async () => {
      const { guest } = await partyOfTwo();
      const answer = await guest.request({ type: 'get_party', party_id: PARTY });
      expect(answer.type).toBe('party_update');
      expect(JSON.stringify(answer)).toContain('key-h');
    });

    it('a non-member cannot signal a member', async () => {
      await partyOfTwo();
      const stranger = await rig.connect();
      await stranger.hello();
      const refused = await stranger.request({
        type: 'signal',
        party_id: PARTY,
        from_peer_id: 'x',
        to_peer_id: 'h',
        signal_data: { sdp: 'x'.repeat(1000) },
      });
      expect(refused).toMatchObject({ type: 'error', code: 'not_found' });
    });

    it('naming a made-up party tells nothing of whether a peer id is in use', async () => {
      await partyOfTwo();
      // A keyed member too: its id is refused for another reason than a keyless one's.
      const keyed = await rig.connect();
      await new TestIdentity().hello(keyed);
      await keyed.request({ type: 'join_party', party_id: PARTY, peer: peerDict('k') });
      const stranger = await rig.connect();
      await stranger.hello();
      const party_id = 'party_made_up_x';
      const asPeer = (peerId: string) => [
        { type: 'leave_party', party_id, peer_id: peerId },
        { type: 'heartbeat', party_id, peer_id: peerId },
        { type: 'update_peer', party_id, peer: peerDict(peerId) },
        { type: 'signal', party_id, from_peer_id: peerId, to_peer_id: 'h', signal_data: 1 },
        { type: 'join_party', party_id, peer: peerDict(peerId) },
        { type: 'join_party', party_id, peer: peerDict(peerId), resume: true },
        { type: 'join_party', party_id, peer: peerDict(peerId), password: 'guess-1234' },
        { type: 'cancel_join', party_id, peer_id: peerId },
      ];
      for (const peerId of ['h', 'k', 'never-used']) {
        for (const message of asPeer(peerId)) {
          const answer = await stranger.request(message);
          expect(answer, `${message.type} as ${peerId}`).toMatchObject({
            code: 'not_found',
            message: 'Party not found',
          });
        }
      }
    });

    it('a peer id someone else holds is refused in one wording, keyed or not', async () => {
      await partyOfTwo();
      const keyed = await rig.connect();
      await new TestIdentity().hello(keyed);
      await keyed.request({ type: 'join_party', party_id: PARTY, peer: peerDict('k') });
      const stranger = await rig.connect();
      await stranger.hello();
      const refusals = async (peerId: string) => {
        const register = { type: 'register_party', party_id: 'party_new_x', name: 'N' };
        const answers = [
          await stranger.request({ ...register, host_peer: peerDict(peerId) }),
          await stranger.request({ type: 'join_party', party_id: PARTY, peer: peerDict(peerId) }),
        ];
        return answers.map((a) => ({
          code: a.code,
          message: String(a.message).replace(peerId, '<id>'),
        }));
      };
      const keyless = await refusals('h');
      expect(keyless[0]).toEqual({
        code: 'forbidden',
        message: 'Peer <id> belongs to another LANrage installation or session',
      });
      expect(keyless[1]).toEqual(keyless[0]);
      expect(await refusals('k')).toEqual(keyless);
    });
  });
});
