/**
 * The LANrage folder moved between two runs, as a user does it (`mv`, a backup restored
 * elsewhere), with the production factory: the party this app hosts without a server is
 * hosted again; one it cannot host again ends with a notice, and the window shows no party
 * nobody serves ("? status unknown", before).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDefaultAppService } from './factory';
import { dispatch } from './ipc-registry';
import type { AppService } from './types';
import { INSTANCE_ID_FILE } from '../hosting/instance-id';
import { makeTempDir } from '../test-util/temp-dir';
import { silentLogger } from '../../../shared/logger';

let temp: ReturnType<typeof makeTempDir>;
let service: AppService | null = null;

beforeEach(() => (temp = makeTempDir('lanrage-moved-')));
afterEach(async () => {
  await service?.close();
  service = null;
  temp.cleanup();
});

async function start(home: string): Promise<AppService> {
  service = await createDefaultAppService({
    home,
    env: {
      LANRAGE_PEER_NAME: 'Alice',
      LANRAGE_LAN_DISCOVERY: 'off',
      LANRAGE_LAN_LISTEN: '0',
      LANRAGE_LAN_PORT: '0',
    },
    logger: silentLogger,
  });
  return service;
}

/** Creates a party in a fresh home, then quits; returns the party's id. */
async function hostThenQuit(home: string): Promise<string> {
  const s = await start(home);
  const created = await dispatch(s.handlers, 'createParty', { name: 'Moving Night' }, silentLogger);
  expect(created).toMatchObject({ ok: true });
  const partyId = s.snapshot().party!.party_id;
  await s.close();
  service = null;
  expect(readFileSync(join(home, 'control_state.json'), 'utf8')).toContain(partyId);
  return partyId;
}

describe('a damaged local_session.json', () => {
  // The session with its own embedded server is lost, not the identity key that owns the
  // host's peer id: the party came back ended ("another session owns its host").
  it('the party this app hosts is hosted again, and the notice promises no wait', async () => {
    const partyId = await hostThenQuit(join(temp.dir, 'home'));
    writeFileSync(join(temp.dir, 'home', 'local_session.json'), '{bad');

    const s = await start(join(temp.dir, 'home'));
    const me = s.snapshot().me.peer_id;
    await vi.waitFor(() => expect(s.snapshot().party?.presence[me]?.status).toBe('online'));
    expect(s.snapshot().party?.party_id).toBe(partyId);
    expect(s.snapshot().notices.map((n) => n.message)).toEqual([
      expect.stringMatching(
        /^Your saved session with the party servers on this PC and LAN \(.*local_session\.json\) could not be read: it is damaged \(not valid JSON\)\. LANrage kept it as .*corrupt-\S* and starts a new session\. Your identity key still proves your peer ID to them, so your parties go on\.$/,
      ),
    ]);
  });
});

describe('a LANrage folder moved between two runs', () => {
  it('hosts its party again: the window shows it, my own row online', async () => {
    const partyId = await hostThenQuit(join(temp.dir, 'home'));
    renameSync(join(temp.dir, 'home'), join(temp.dir, 'home2'));

    const s = await start(join(temp.dir, 'home2'));
    const me = s.snapshot().me.peer_id;
    await vi.waitFor(() => expect(s.snapshot().party?.presence[me]?.status).toBe('online'));
    expect(s.snapshot().party?.party_id).toBe(partyId);
    expect(s.snapshot().status.localServer).not.toBeNull();
    expect(s.snapshot().notices).toEqual([]);
  });

  it('a party it cannot host again ends, with a notice saying why', async () => {
    await hostThenQuit(join(temp.dir, 'home'));
    // Not this folder's id any more: its session with its own server is a stranger's.
    const id = { instance_id: 'fedcba9876543210', instance: null };
    writeFileSync(join(temp.dir, 'home', INSTANCE_ID_FILE), JSON.stringify(id));

    const s = await start(join(temp.dir, 'home'));
    expect(s.snapshot().party).toBeNull();
    expect(s.snapshot().notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/^Your party Moving Night ended: LANrage could not host it again/),
    ]);
    await vi.waitFor(() => expect(s.snapshot().status.localServer).toBeNull());
    const again = await dispatch(s.handlers, 'createParty', { name: 'Next Night' }, silentLogger);
    expect(again).toMatchObject({ ok: true, value: { name: 'Next Night' } });
  });
});
