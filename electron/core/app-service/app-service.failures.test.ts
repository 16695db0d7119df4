/** The app service when something around it fails: nothing the user had is lost. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateEvent } from '../../../shared/ipc/app-state';
import { createAppService } from './app-service';
import type { AppService } from './types';
import { Config } from '../config/config';
import { createControlPlane } from '../control';
import { loadOrCreateIdentity } from '../identity/identity';
import { dispatch } from './ipc-registry';
import { silentLogger } from '../../../shared/logger';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { makeTempDir } from '../test-util/temp-dir';
import { testAppService } from '../test-util/app-instance';
import { settingsView } from '../test-util/fixtures';

let temp: ReturnType<typeof makeTempDir>;
let service: AppService | null = null;
let logged = new MemoryLogger();

beforeEach(() => {
  temp = makeTempDir('lanrage-app-failures-');
  logged = new MemoryLogger();
});
afterEach(async () => {
  await service?.close();
  service = null;
  temp.cleanup();
});

/** A local-mode service wired to the real control plane factory. */
async function start(): Promise<AppService> {
  const config = Config.load({ home: temp.dir, env: { LANRAGE_PEER_NAME: 'Alice' } });
  service = await createAppService({
    config,
    identity: await loadOrCreateIdentity(config.keysDir),
    createControlPlane: (c) => createControlPlane(c, { logger: silentLogger, saveDelayMs: 0 }),
    localIp: () => '192.168.1.100',
    logger: logged,
  });
  return service;
}

const call = (s: AppService, channel: string, request: unknown = {}) =>
  dispatch(s.handlers, channel, request, silentLogger);

describe('app service failures', () => {
  it('refuses a server URL no control plane can use, before saving or closing anything', async () => {
    const s = await start();
    // Port 99999 is no URL the control plane can use: refused with a readable message.
    const saved = await call(s, 'saveSettings', {
      peer_name: 'Alice',
      control_server: 'http://example.org:99999',
    });
    expect(saved).toMatchObject({
      ok: false,
      error: {
        code: 'bad_request',
        message: expect.stringMatching(/control server.*URL/i) as string,
      },
    });
    expect(s.snapshot().settings).toEqual(settingsView('Alice'));
    expect(existsSync(join(temp.dir, 'config.json'))).toBe(false);
    // The control plane still runs: the app is as usable as before.
    expect(await call(s, 'createParty', { name: 'Still here' })).toMatchObject({ ok: true });
    expect(s.snapshot().party?.name).toBe('Still here');
  });

  it('refuses a server address with a user name and password, in words, saving nothing', async () => {
    const s = await start();
    const saved = await call(s, 'saveSettings', {
      peer_name: 'Alice',
      control_server: 'wss://gamer:hunter2@play.example.org',
    });
    expect(saved).toMatchObject({
      ok: false,
      error: {
        code: 'bad_request',
        message: expect.stringMatching(/user name and password/) as string,
      },
    });
    expect(s.snapshot().settings).toEqual(settingsView('Alice'));
    expect(existsSync(join(temp.dir, 'config.json'))).toBe(false);
  });

  it('a listener that throws neither fails the operation nor starves the others', async () => {
    const s = await start();
    s.onStateEvent(() => {
      throw new Error('bridge closed');
    });
    const seen: StateEvent[] = [];
    s.onStateEvent((e) => seen.push(e));
    const created = await call(s, 'createParty', { name: 'Gaming Night' });
    expect(created).toMatchObject({ ok: true, value: { name: 'Gaming Night' } });
    expect(seen.some((e) => e.type === 'party')).toBe(true);
    // A fault of ours: said at error level, with what was thrown.
    const errors = logged.messages('error');
    expect(errors.length).toBeGreaterThan(0);
    for (const line of errors)
      expect(line).toMatch(/^A state listener failed: Error: bridge closed/);
  });

  it('a party on a server never reached is refused with a pointer to its address', async () => {
    // Port 9 (discard): nothing listens there, as with a mistyped address.
    service = await testAppService({
      home: temp.dir,
      name: 'Hal',
      controlServer: 'ws://127.0.0.1:9',
    });
    const made = await call(service, 'createParty', { name: 'Dead' });
    expect(made).toMatchObject({
      ok: false,
      error: {
        code: 'unreachable',
        message: expect.stringContaining('Check the address in Settings') as string,
      },
    });
  });
});
