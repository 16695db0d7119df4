/**
 * control_state.json saved under another peer id than keys/ holds, with the production
 * factory. keys/ replaced: the party of the old id is not hosted again (its server kept the
 * old id "online" and the window showed me in it) and the user is told. A home in the seed's
 * format (no keys/): its saved peer id becomes this installation's, so its party stays its own
 * (it was hosted again for an id nobody had, offered as someone else's, and lost silently).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDefaultAppService } from './factory';
import { dispatch } from './ipc-registry';
import { silentLogger } from '../../../shared/logger';
import type { AppService } from './types';
import { SPEC_STATE_JSON } from '../test-util/fixtures';
import { makeTempDir } from '../test-util/temp-dir';

let temp: ReturnType<typeof makeTempDir>;
let home: string;
let service: AppService | null = null;

beforeEach(() => {
  temp = makeTempDir('lanrage-previous-id-');
  home = join(temp.dir, 'home');
});
afterEach(async () => {
  await service?.close();
  service = null;
  temp.cleanup();
});

async function start(): Promise<AppService> {
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

async function quit(): Promise<void> {
  await service?.close();
  service = null;
}

describe('keys/ replaced since the state was saved', () => {
  it('the old id’s party is not hosted again nor shown, and the notice says so', async () => {
    const s = await start();
    expect(
      await dispatch(s.handlers, 'createParty', { name: 'Old Night' }, silentLogger),
    ).toMatchObject({ ok: true });
    const old = s.snapshot().me.peer_id;
    await quit();
    // What the identity loader does with a damaged keys/: kept aside, a new identity made.
    rmSync(join(home, 'keys'), { recursive: true });
    writeFileSync(join(home, 'keys'), 'x');

    const again = await start();
    const me = again.snapshot().me.peer_id;
    expect(me).not.toBe(old);
    expect(again.snapshot().party).toBeNull();
    expect(again.snapshot().status.localServer).toBeNull();
    const notices = again.snapshot().notices.map((n) => n.message);
    expect(notices).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Your party Old Night was hosted as ${old}, a peer ID this LANrage no longer has \\(its identity changed: it is ${me} now\\), so it was not hosted again: create a new party\\. The state as it was is kept as .*control_state\\.json\\.previous-`,
        ),
      ),
    );
    const kept = readdirSync(home).find((f) => f.startsWith('control_state.json.previous-'))!;
    expect(readFileSync(join(home, kept), 'utf8')).toContain('Old Night');
    await vi.waitFor(() =>
      expect(JSON.parse(readFileSync(join(home, 'control_state.json'), 'utf8'))).toMatchObject({
        parties: {},
        my_peer_id: me,
        my_party_id: null,
      }),
    );
  });
});

describe('a home in the seed’s format (control_state.json, no keys/)', () => {
  it('keeps its saved peer id and hosts its party again, as its own', async () => {
    mkdirSync(home);
    writeFileSync(join(home, 'control_state.json'), SPEC_STATE_JSON);

    const s = await start();
    expect(s.snapshot().me.peer_id).toBe('peer123');
    expect(readFileSync(join(home, 'keys', 'peer_id'), 'utf8').trim()).toBe('peer123');
    await vi.waitFor(() => expect(s.snapshot().party?.presence.peer123?.status).toBe('online'));
    expect(s.snapshot().party).toMatchObject({ party_id: 'party_abc123', host_id: 'peer123' });
    expect(s.snapshot().notices).toEqual([]);
  });

  it('a home whose keys/ was deleted after keyed use keeps a new id (the old is bound)', async () => {
    mkdirSync(home);
    writeFileSync(join(home, 'control_state.json'), SPEC_STATE_JSON);
    // Written only by apps with identity keys: the servers bound peer123 to the lost key.
    writeFileSync(
      join(home, 'instance_id.json'),
      '{"instance_id":"0123456789abcdef","instance":null}',
    );

    const s = await start();
    expect(s.snapshot().me.peer_id).not.toBe('peer123');
    expect(existsSync(join(home, 'keys', 'peer_id'))).toBe(true);
    expect(s.snapshot().party).toBeNull();
    expect(s.snapshot().notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/^Your party Gaming Night was hosted as peer123, a peer ID/),
    ]);
  });
});
