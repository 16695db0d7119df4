/**
 * A LANrage folder moved (or restored from a backup, or copied to another PC) hosts its party
 * again at the next start: the id it hosts under is kept in the folder, not made from its
 * path. When the party cannot be hosted again all the same, it ends, said in words, rather
 * than staying on screen with nobody serving it.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { Config } from '../config/config';
import { newIdentitySeed, signerFromSeed } from '../identity/identity-key';
import { makePeer } from '../test-util/fixtures';
import { waitFor } from '../test-util/child-process';
import { localEnv } from '../test-util/local-plane';
import { makeTempDir } from '../test-util/temp-dir';
import { LocalControlPlane } from './control-plane';
import { INSTANCE_ID_FILE, pathDerivedId } from '../hosting/instance-id';

const PARTY = 'party_moved01';

// The app's identity key, kept in keys/ (moved with the folder): it proves the host's peer id.
const identity = signerFromSeed(newIdentitySeed())!;
let temp: string;
let cleanup: () => void;
const planes: LocalControlPlane[] = [];

beforeEach(() => ({ dir: temp, cleanup } = makeTempDir()));
afterEach(async () => {
  await Promise.all(planes.splice(0).map((p) => p.close()));
  cleanup();
});

interface Started {
  plane: LocalControlPlane;
  notices: string[];
  logger: MemoryLogger;
}

async function start(home: string): Promise<Started> {
  const notices: string[] = [];
  const logger = new MemoryLogger();
  const config = Config.load({ env: localEnv(home, 'host') });
  const options = { logger, identity, saveDelayMs: 5, discoveryPollMs: 20 };
  const plane = new LocalControlPlane(config, { ...options, report: (m) => notices.push(m) });
  planes.push(plane);
  await plane.initialize();
  return { plane, notices, logger };
}

/** Hosts the party without a server, then quits as the user does (its state on disk). */
async function hostThenQuit(home: string): Promise<string> {
  const { plane } = await start(home);
  await plane.registerParty(PARTY, 'Moving Night', makePeer('alice'));
  const saved = () => readFileSync(plane.config.stateFile, 'utf8').includes(PARTY);
  await waitFor(() => existsSync(plane.config.stateFile) && saved(), 3000);
  await plane.close();
  planes.splice(planes.indexOf(plane), 1);
  return plane.config.instanceDir;
}

const online = (plane: LocalControlPlane) =>
  plane.presenceOf(PARTY).get('alice')?.status === 'online';

describe('a LANrage folder that moved', () => {
  it('hosts its party again from the new path, its own row online', async () => {
    await hostThenQuit(join(temp, 'home'));
    renameSync(join(temp, 'home'), join(temp, 'home2'));

    const { plane, notices } = await start(join(temp, 'home2'));
    expect(plane.myPartyId).toBe(PARTY);
    expect(plane.hosting.server?.hostedParties().map((p) => p.partyId)).toEqual([PARTY]);
    await waitFor(() => online(plane), 3000);
    expect(plane.status().localServer).not.toBeNull();
    expect(notices).toEqual([]);
  });

  it('an install from before the id file: the party comes back, and the id is kept from then on', async () => {
    const dir = await hostThenQuit(join(temp, 'home'));
    // What an older version leaves: no id file, its id the hash of this path.
    rmSync(join(dir, INSTANCE_ID_FILE));

    const { plane } = await start(join(temp, 'home'));
    await waitFor(() => online(plane), 3000);
    const kept = JSON.parse(readFileSync(join(dir, INSTANCE_ID_FILE), 'utf8')) as unknown;
    expect(kept).toEqual({ instance_id: pathDerivedId(dir), instance: 'host' });
  });
});

describe('a party that cannot be hosted again at start', () => {
  it('ends with a notice saying why, and a new party can be made', async () => {
    const dir = await hostThenQuit(join(temp, 'home'));
    // Another id: the app's own session with its server is a stranger's now.
    const id = { instance_id: '0123456789abcdef', instance: 'host' };
    writeFileSync(join(dir, INSTANCE_ID_FILE), JSON.stringify(id));

    const { plane, notices, logger } = await start(join(temp, 'home'));
    expect(plane.myPartyId).toBeNull();
    expect(plane.parties.has(PARTY)).toBe(false);
    expect(notices).toEqual([
      'Your party Moving Night ended: LANrage could not host it again when it started, so ' +
        'nobody could reach it. If its folder was moved or restored from a backup, create a ' +
        'new party.',
    ]);
    expect(logger.messages('warn')).toContain(
      `Party ${PARTY} ends: it could not be hosted here again`,
    );
    await waitFor(() => plane.status().localServer === null, 3000);
    await waitFor(() => !readFileSync(plane.config.stateFile, 'utf8').includes(PARTY), 3000);

    const next = await plane.registerParty('party_after01', 'Next Night', makePeer('alice'));
    expect(next.hostId).toBe('alice');
  });
});
