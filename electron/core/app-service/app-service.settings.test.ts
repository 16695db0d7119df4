/**
 * Settings through the app's IPC contract: refused when invalid, applied without a restart,
 * saved to config.json (with each member's voice volume), and a new control server linked.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, localAppHarness } from '../test-util/local-app-harness';
import { settingsView } from '../test-util/fixtures';

const { temp, instance } = localAppHarness();

describe('settings', () => {
  it('refuses invalid settings without changing anything', async () => {
    const a = await instance('Alice');
    const empty = await call(a, 'saveSettings', { peer_name: '  ', control_server: null });
    expect(empty).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('peer_name') as string },
    });
    const badUrl = await call(a, 'saveSettings', { peer_name: 'Al', control_server: 'ftp://x' });
    expect(badUrl).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(a.service.snapshot().settings).toEqual(settingsView('Alice'));
    expect(existsSync(join(temp.dir, 'config.json'))).toBe(false);
  });

  it('applies a new name without restart: saved, my row in the party renamed, event pushed', async () => {
    const a = await instance('Alice');
    await call(a, 'createParty', { name: 'Gaming Night' });
    const saved = await call(a, 'saveSettings', { peer_name: ' Alicia ', control_server: '' });
    expect(saved).toEqual({
      ok: true,
      value: settingsView('Alicia'),
    });
    const file = JSON.parse(readFileSync(join(temp.dir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(file).toMatchObject({ peer_name: 'Alicia', control_server: null });
    const state = a.service.snapshot();
    expect(state.me.name).toBe('Alicia');
    expect(state.party!.peers[state.me.peer_id]!.name).toBe('Alicia');
    expect(a.events).toContainEqual({
      type: 'settings',
      settings: settingsView('Alicia'),
    });
    expect(a.planes).toHaveLength(1);
  });

  it('remembers how loud a member plays in config.json, says so, and refuses a bad one', async () => {
    const a = await instance('Alice');
    await call(a, 'createParty', { name: 'Gaming Night' });
    expect(await call(a, 'setVoiceVolume', { peer_id: 'peer_bob', volume: 40 })).toEqual({
      ok: true,
      value: null,
    });
    await call(a, 'setVoiceVolume', { peer_id: 'peer_carol', volume: 0 });
    const file = () =>
      JSON.parse(readFileSync(join(temp.dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(file().voice_volumes).toEqual({ peer_bob: 40, peer_carol: 0 });
    expect(a.events).toContainEqual({
      type: 'settings',
      settings: settingsView('Alice', { voice_volumes: { peer_bob: 40, peer_carol: 0 } }),
    });
    for (const bad of [
      { peer_id: 'peer_bob', volume: 101 },
      { peer_id: 'peer_bob', volume: 12.5 },
      { peer_id: '../etc', volume: 10 },
    ]) {
      expect(await call(a, 'setVoiceVolume', bad)).toMatchObject({
        ok: false,
        error: { code: 'bad_request' },
      });
    }
    // The default forgets the member; the party and the others stay as they were.
    await call(a, 'setVoiceVolume', { peer_id: 'peer_bob', volume: 100 });
    expect(file().voice_volumes).toEqual({ peer_carol: 0 });
    expect(a.service.snapshot().settings.voice_volumes).toEqual({ peer_carol: 0 });
    expect(a.service.snapshot().party?.name).toBe('Gaming Night');
  });

  it('re-creates the control plane when the control server changes, and says so', async () => {
    const a = await instance('Alice');
    const saved = await call(a, 'saveSettings', {
      peer_name: 'Alice',
      control_server: 'ws://127.0.0.1:9',
    });
    expect(saved).toMatchObject({ ok: true });
    expect(a.planes.map((c) => c.controlServer)).toEqual([null, 'ws://127.0.0.1:9']);
    const snapshot = a.events.find((e) => e.type === 'snapshot');
    expect(snapshot).toMatchObject({ state: { settings: { control_server: 'ws://127.0.0.1:9' } } });
  });
});
