/**
 * Access control in local mode (issue 10's "the same rules in local mode"): the embedded
 * server of the host's instance enforces them, and the other instances on this machine send
 * it their password and their identity proof, as they would a remote server.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { Config } from '../config/config';
import { newIdentitySeed, signerFromSeed } from '../identity/identity-key';
import { LocalControlPlane } from './control-plane';
import { LOCAL_SERVER_FILE } from '../hosting/hosting';
import { waitFor } from '../test-util/child-process';
import { makePeer } from '../test-util/fixtures';
import { localEnv } from '../test-util/local-plane';
import { makeTempDir } from '../test-util/temp-dir';

let home: string;
let cleanup: () => void;
const planes: LocalControlPlane[] = [];

beforeEach(() => {
  ({ dir: home, cleanup } = makeTempDir('lanrage-local-access-'));
});
afterEach(async () => {
  for (const p of planes.splice(0)) await p.close();
  cleanup();
});

async function instance(
  name: string,
  seed = newIdentitySeed(),
  logger = new MemoryLogger(),
): Promise<LocalControlPlane> {
  const config = Config.load({ env: localEnv(home, name) });
  const plane = new LocalControlPlane(config, {
    logger,
    saveDelayMs: 5,
    discoveryPollMs: 20,
    identity: signerFromSeed(seed)!,
  });
  planes.push(plane);
  await plane.initialize();
  return plane;
}

const PARTY = 'party_localpw';

async function refusal(attempt: Promise<unknown>): Promise<string | undefined> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ControlPlaneError);
  return (error as ControlPlaneError).code;
}

describe('access control in local mode', () => {
  it('the host’s embedded server asks for the password and keeps a banned key out', async () => {
    const host = await instance('host');
    await host.registerParty(PARTY, 'Local Secret', makePeer('p_host', 'Host'), {
      joinPolicy: 'password',
      password: 'hunter22',
    });
    const seed = newIdentitySeed();
    const guest = await instance('guest', seed);
    expect(await refusal(guest.joinParty(PARTY, makePeer('p_guest', 'Guest')))).toBe(
      'password_required',
    );
    const wrong = guest.joinParty(PARTY, makePeer('p_guest', 'Guest'), { password: 'nope' });
    expect(await refusal(wrong)).toBe('wrong_password');
    await guest.joinParty(PARTY, makePeer('p_guest', 'Guest'), { password: 'hunter22' });
    await waitFor(() => host.parties.get(PARTY)?.peers.has('p_guest') === true, 5000);

    await host.access!.kickPeer(PARTY, 'p_guest', true);
    await waitFor(() => !guest.activePartyIds.has(PARTY), 5000);
    // The ban holds the guest's key: another peer id from the same installation stays out.
    const again = guest.joinParty(PARTY, makePeer('p_other', 'Guest'), { password: 'hunter22' });
    expect(await refusal(again)).toBe('banned');
    // Someone else with the password still gets in.
    const friend = await instance('friend');
    await friend.joinParty(PARTY, makePeer('p_friend', 'Friend'), { password: 'hunter22' });
    const members = () => [...(host.parties.get(PARTY)?.peers.keys() ?? [])].sort().join();
    await waitFor(() => members() === 'p_friend,p_host', 5000);
  });

  it('a host that quits and starts again still asks its password and keeps its bans', async () => {
    const hostSeed = newIdentitySeed();
    const host = await instance('host', hostSeed);
    await host.registerParty(PARTY, 'Local Secret', makePeer('p_host', 'Host'), {
      joinPolicy: 'password',
      password: 'hunter22',
    });
    const banned = await instance('banned');
    await banned.joinParty(PARTY, makePeer('p_banned', 'Banned'), { password: 'hunter22' });
    await waitFor(() => host.parties.get(PARTY)?.peers.has('p_banned') === true, 5000);
    await host.access!.kickPeer(PARTY, 'p_banned', true);
    await waitFor(() => !banned.activePartyIds.has(PARTY), 5000);
    await host.close();
    planes.splice(planes.indexOf(host), 1);

    const again = await instance('host', hostSeed);
    await waitFor(() => again.parties.has(PARTY), 5000);
    const guest = await instance('guest');
    const noPassword = guest.joinParty(PARTY, makePeer('p_guest', 'Guest'));
    expect(await refusal(noPassword)).toBe('password_required');
    // Before the fix the quit dropped the hash: the right password read "wrong" for everyone.
    await guest.joinParty(PARTY, makePeer('p_guest', 'Guest'), { password: 'hunter22' });
    const back = banned.joinParty(PARTY, makePeer('p_banned', 'Banned'), { password: 'hunter22' });
    expect(await refusal(back)).toBe('banned');
  });

  it('a damaged local_server.json: the party comes back without its password, and says so', async () => {
    const hostSeed = newIdentitySeed();
    const host = await instance('host', hostSeed);
    await host.registerParty(PARTY, 'Local Secret', makePeer('p_host', 'Host'), {
      joinPolicy: 'password',
      password: 'hunter22',
    });
    await host.close();
    planes.splice(planes.indexOf(host), 1);
    writeFileSync(join(home, 'instances', 'host', LOCAL_SERVER_FILE), '{ nope');
    const logger = new MemoryLogger();
    const again = await instance('host', hostSeed, logger);
    await waitFor(() => again.parties.has(PARTY), 5000);
    // It is hosted again (from control_state.json): not "hosts none of them".
    expect(logger.messages('warn').filter((m) => m.includes('kept the file as'))).toEqual([
      expect.stringMatching(
        /come back from your saved parties, without their passwords, invite links and bans: set them again in Party settings\./,
      ),
    ]);
  });

  it('a join waiting when the host’s app closes ends: the party ended, not a refusal', async () => {
    const host = await instance('host');
    await host.registerParty(PARTY, 'Door', makePeer('p_host', 'Host'), {
      joinPolicy: 'approval',
    });
    let asked = 0;
    host.subscribe((change) => change.kind === 'join_request' && asked++);
    const guest = await instance('guest');
    const outcome = guest.joinParty(PARTY, makePeer('p_guest', 'Guest')).then(
      () => null,
      (e: unknown) => e,
    );
    await waitFor(() => asked === 1, 5000);
    await host.close();
    expect(await outcome).toMatchObject({
      code: 'party_ended',
      message: 'The party ended before the host let you in.',
    });
    expect(guest.myPartyId).toBeNull();
  });
});
