import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerCheck } from '../../../shared/ipc/contract';
import type { StateEvent } from '../../../shared/ipc/app-state';
import { createAppService } from './app-service';
import type { AppService } from './types';
import { Config } from '../config/config';
import { dispatch } from './ipc-registry';
import { LocalControlPlane } from '../local/control-plane';
import { silentLogger } from '../../../shared/logger';
import { makeTempDir } from '../test-util/temp-dir';

let temp: ReturnType<typeof makeTempDir>;
const open: AppService[] = [];
beforeEach(() => (temp = makeTempDir('lanrage-welcome-')));
afterEach(async () => {
  for (const service of open.splice(0)) await service.close();
  temp.cleanup();
});

async function start(probeServer?: (url: string) => Promise<ServerCheck>, home = temp.dir) {
  const config = Config.load({ home, env: {}, report: () => {} });
  const service = await createAppService({
    config,
    identity: { peerId: 'peer_me', publicKey: 'key' },
    // Local planes only: this test is about the welcome, not about servers.
    createControlPlane: (c) =>
      new LocalControlPlane(c.with({ controlServer: null }), { logger: silentLogger }),
    localIp: () => '192.168.1.100',
    logger: silentLogger,
    probeServer,
  });
  open.push(service);
  const events: StateEvent[] = [];
  service.onStateEvent((e) => events.push(e));
  const call = (channel: string, request: unknown) =>
    dispatch(service.handlers, channel, request, silentLogger);
  return { service, events, call };
}

const configFile = () =>
  JSON.parse(readFileSync(join(temp.dir, 'config.json'), 'utf8')) as Record<string, unknown>;

describe('first-run welcome', () => {
  it('is shown on a first launch, with the display name prefilled from the OS user', async () => {
    const { service } = await start();
    const state = service.snapshot();
    expect(state.first_run).toBe(true);
    expect(state.settings.peer_name.length).toBeGreaterThan(0);
  });

  it('a LANrage folder that cannot be written never blocks it: the settings apply, a notice says why', async () => {
    // A file where the folder should be (root, which runs CI, may write everywhere else).
    const home = join(temp.dir, 'home');
    writeFileSync(home, 'x');
    const { service, call } = await start(undefined, home);
    const settings = { peer_name: 'Zoe', control_server: '' };
    expect(await call('finishWelcome', { settings })).toMatchObject({
      ok: true,
      value: { peer_name: 'Zoe' },
    });
    expect(service.snapshot().first_run).toBe(false);
    expect(service.snapshot().settings.peer_name).toBe('Zoe');
    expect(service.snapshot().notices.map((n) => n.message)).toContain(
      `Your settings could not be saved to ${join(home, 'config.json')}: a file is where its ` +
        'folder should be. They apply until LANrage closes.',
    );
    expect(readFileSync(home, 'utf8')).toBe('x');
  });

  it('finishing saves the name and how you play, and it is never shown again', async () => {
    const first = await start();
    const settings = { peer_name: 'Zoe', control_server: 'ws://127.0.0.1:1/ws' };
    const answer = await first.call('finishWelcome', { settings });
    expect(answer).toEqual({
      ok: true,
      value: { ...settings, voice_volumes: {}, relay_only: false, mute_shortcut: null },
    });
    expect(first.service.snapshot().first_run).toBe(false);
    expect(first.events).toContainEqual({ type: 'first_run', first_run: false });
    expect(configFile()).toMatchObject({ ...settings, welcome_done: true });
    await first.service.close();
    const again = await start();
    expect(again.service.snapshot()).toMatchObject({ first_run: false, settings });
  });

  it('skipping keeps the settings as they were and also ends the welcome', async () => {
    const { service, call } = await start();
    const before = service.snapshot().settings;
    expect(await call('finishWelcome', { settings: null })).toEqual({ ok: true, value: before });
    expect(service.snapshot().first_run).toBe(false);
    expect(configFile()).toMatchObject({ welcome_done: true, control_server: null });
  });

  it('invalid choices are refused and the welcome stays', async () => {
    const { service, call } = await start();
    const bad = await call('finishWelcome', { settings: { peer_name: ' ', control_server: null } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(service.snapshot().first_run).toBe(true);
  });
});

describe('testServer', () => {
  it('asks the probe (main side) and answers its verdict; bad URLs never reach it', async () => {
    const asked: string[] = [];
    const { call } = await start((url) => {
      asked.push(url);
      return Promise.resolve({ reachable: false, message: '10.0.0.9 did not answer: x.' });
    });
    expect(await call('testServer', { url: 'http://127.0.0.1:9/' })).toEqual({
      ok: true,
      value: { reachable: false, message: '10.0.0.9 did not answer: x.' },
    });
    expect(await call('testServer', { url: 'javascript:alert(1)' })).toMatchObject({ ok: false });
    expect(asked).toEqual(['http://127.0.0.1:9/']);
  });
});
