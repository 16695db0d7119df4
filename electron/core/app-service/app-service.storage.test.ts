/**
 * Storage faults are never silent: with real files in a temp home (the production
 * factory), a state path of the wrong kind, an unreadable or corrupt key and a corrupt
 * settings file each become a plain notice in the app's state, and the app starts.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StateEvent } from '../../../shared/ipc/app-state';
import { createDefaultAppService } from './factory';
import type { AppService } from './types';
import { dispatch } from './ipc-registry';
import { makeTempDir } from '../test-util/temp-dir';
import { silentLogger } from '../../../shared/logger';

let temp: ReturnType<typeof makeTempDir>;
let service: AppService | null = null;

beforeEach(() => {
  temp = makeTempDir('lanrage-storage-');
});
afterEach(async () => {
  await service?.close();
  service = null;
  temp.cleanup();
});

async function start(env: Record<string, string> = {}, home = temp.dir): Promise<AppService> {
  service = await createDefaultAppService({
    home,
    env: { LANRAGE_PEER_NAME: 'Alice', LANRAGE_LAN_DISCOVERY: 'off', ...env },
    logger: silentLogger,
  });
  return service;
}

describe('storage faults at start', () => {
  it('a folder for control_state.json, a file for keys and a corrupt config.json: 3 notices, and the app works', async () => {
    mkdirSync(join(temp.dir, 'control_state.json'));
    writeFileSync(join(temp.dir, 'keys'), 'oops');
    writeFileSync(join(temp.dir, 'config.json'), '{not json');
    const s = await start();
    const messages = s.snapshot().notices.map((n) => n.message);
    expect(messages).toHaveLength(3);
    expect(messages.some((m) => m.startsWith('Your settings file'))).toBe(true);
    expect(messages.some((m) => m.startsWith('Your LANrage identity changed'))).toBe(true);
    expect(messages.some((m) => m.startsWith('Your saved parties'))).toBe(true);
    const aside = readdirSync(temp.dir).filter((f) => f.includes('.corrupt-'));
    expect(aside).toHaveLength(3);
    const created = await dispatch(
      s.handlers,
      'createParty',
      { name: 'Still works' },
      silentLogger,
    );
    expect(created).toMatchObject({ ok: true });
  });

  it('a LANrage folder it cannot write: a party is still hosted, in memory, and told in words', async () => {
    // A file where the folder should be (root, which runs CI, may write anywhere else).
    const home = join(temp.dir, 'home');
    writeFileSync(home, 'not a folder');
    const s = await start({}, home);
    const created = await dispatch(s.handlers, 'createParty', { name: 'In memory' }, silentLogger);
    expect(created).toMatchObject({ ok: true, value: { name: 'In memory' } });
    const openings = [
      'LANrage cannot save your identity',
      'The parties this PC hosts cannot be saved',
      'Your session with the server could not be saved',
      'Other LANrage windows on this PC cannot list the parties you host',
    ];
    // The nearby-parties file is written a moment after the party starts.
    await vi.waitFor(() =>
      expect(s.snapshot().notices.map((n) => n.message)).toContainEqual(
        expect.stringMatching(new RegExp(`^${openings[3]}`)),
      ),
    );
    const messages = s.snapshot().notices.map((n) => n.message);
    for (const opening of openings) {
      expect(messages.filter((m) => m.startsWith(opening))).toHaveLength(1);
    }
    // Nothing to read where no file can be: no "could not be read" for any of them.
    expect(messages.filter((m) => m.includes('could not be read'))).toEqual([]);
    for (const m of messages) expect(m).toContain('a file is where its folder should be');
    expect(readFileSync(home, 'utf8')).toBe('not a folder');
  });

  it('a corrupt discovery.json is a notice at start, for an app that hosts nothing too', async () => {
    writeFileSync(join(temp.dir, 'discovery.json'), 'garbage{');
    const s = await start();
    await vi.waitFor(() =>
      expect(s.snapshot().notices.map((n) => n.message)).toEqual([
        expect.stringMatching(
          /^The nearby-parties file .* could not be read: it is damaged \(not valid JSON\)\. LANrage kept it as .*corrupt-/,
        ),
      ]),
    );
    expect(
      readdirSync(temp.dir).filter((f) => f.startsWith('discovery.json.corrupt-')),
    ).toHaveLength(1);
  });

  it('a corrupt private key is kept aside and the user told their identity changed', async () => {
    await (await start()).close();
    writeFileSync(join(temp.dir, 'keys', 'private.key'), 'not a key');
    const s = await start();
    expect(s.snapshot().notices).toEqual([
      {
        id: 'n1',
        message: expect.stringMatching(/identity changed.*private\.key\.corrupt-/) as string,
      },
    ]);
  });

  it('a notice stays until dismissed, and dismissing it is pushed to the UI', async () => {
    writeFileSync(join(temp.dir, 'config.json'), JSON.stringify({ heartbeat_interval: 1e-6 }));
    const s = await start();
    const events: StateEvent[] = [];
    s.onStateEvent((e) => events.push(e));
    const [notice] = s.snapshot().notices;
    expect(notice?.message).toContain('heartbeat_interval 0.000001 s is outside 0.1–300 s');
    const result = await dispatch(s.handlers, 'dismissNotice', { id: notice!.id }, silentLogger);
    expect(result).toEqual({ ok: true, value: null });
    expect(s.snapshot().notices).toEqual([]);
    expect(events).toEqual([{ type: 'notices', notices: [] }]);
  });

  it('an unreadable LANRAGE_CA_FILE is a notice, and the app starts', async () => {
    const s = await start({ LANRAGE_CA_FILE: join(temp.dir, 'missing.pem') });
    expect(s.snapshot().notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/^Cannot read LANRAGE_CA_FILE .*missing\.pem/),
    ]);
  });
});
