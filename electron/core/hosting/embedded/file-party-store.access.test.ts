/**
 * The embedded server's store keeps access state (issue 10) with the parties: a password
 * party hosted without a server still asks for the same password after a restart, and a
 * ban still holds (the rows used to be dropped, so the party let no password in and the
 * banned back in).
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../shared/logger';
import { TestIdentity } from '../../../../server/access/test-util/identity';
import { peerDict, TestRig } from '../../../../server/test-util/support';
import { makeTempDir } from '../../test-util/temp-dir';
import { FilePartyStore } from './file-party-store';

const rig = new TestRig();
let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir('lanrage-file-access-')));
afterEach(async () => {
  await rig.cleanup();
  cleanup();
});

const PARTY = 'party_filepw';
const start = () =>
  rig.start({ store: new FilePartyStore(join(dir, 'hosted.json'), { logger: silentLogger }) });

describe('FilePartyStore and access state', () => {
  it('keeps the password hash and the bans across a restart', async () => {
    await start();
    const host = await rig.connect();
    await host.hello();
    const settings = { join_policy: 'password', password: 'hunter22' };
    const register = {
      type: 'register_party',
      party_id: PARTY,
      name: 'P',
      host_peer: peerDict('h'),
    };
    expect(await host.request({ ...register, settings })).toMatchObject({ type: 'party_update' });
    const banned = new TestIdentity();
    const b = await rig.connect();
    await banned.hello(b);
    const join = { type: 'join_party', party_id: PARTY, peer: peerDict('b'), password: 'hunter22' };
    expect(await b.request(join)).toMatchObject({ type: 'party_update' });
    const kick = { type: 'kick_peer', party_id: PARTY, peer_id: 'b', ban: true };
    expect(await host.request(kick)).toMatchObject({ type: 'ack' });

    await rig.cleanup();
    await start();
    const guest = await rig.connect();
    await guest.hello();
    const guestJoin = { ...join, peer: peerDict('g') };
    expect(await guest.request(guestJoin)).toMatchObject({ type: 'party_update' });
    const back = await rig.connect();
    await banned.hello(back);
    expect(await back.request({ ...join, peer: peerDict('b2') })).toMatchObject({
      type: 'error',
      code: 'banned',
    });
  });
});
