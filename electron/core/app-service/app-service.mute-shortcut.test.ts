/**
 * The mute shortcut through a real app service, as its page and the desktop drive it: saved
 * in config.json, held with the desktop's global shortcuts from the start, each press told to
 * the page, refused when it is not one, let go on close.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SettingsView, StateEvent } from '../../../shared/ipc/app-state';
import { NEEDS_MODIFIER } from '../../../shared/media/mute-shortcut';
import type { AppService } from './types';
import { testAppService } from '../test-util/app-instance';
import { makeTempDir } from '../test-util/temp-dir';
import { callApp as call } from '../test-util/app-calls';
import { FakeShortcuts } from '../test-util/fake-shortcuts';

let temp: ReturnType<typeof makeTempDir>;
const open: AppService[] = [];
beforeEach(() => {
  temp = makeTempDir('lanrage-mute-');
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  temp.cleanup();
});

async function app(shortcuts?: FakeShortcuts): Promise<AppService> {
  const made = await testAppService({
    home: temp.dir,
    name: 'Ann',
    controlServer: null,
    shortcuts,
  });
  open.push(made);
  return made;
}

const form = (mute_shortcut: string | null | undefined) => ({
  peer_name: 'Ann',
  control_server: null,
  ...(mute_shortcut === undefined ? {} : { mute_shortcut }),
});

const configFile = () => join(temp.dir, 'config.json');

describe('the mute shortcut', () => {
  it('is saved in config.json, held at once, and each press is told to the page', async () => {
    const keys = new FakeShortcuts();
    const ann = await app(keys);
    expect(ann.snapshot().global_shortcuts).toBe(true);
    const events: StateEvent[] = [];
    ann.onStateEvent((event) => events.push(event));
    const saved = await call<SettingsView>(ann, 'saveSettings', form('Control+Alt+M'));
    expect(saved).toMatchObject({ ok: true, value: { mute_shortcut: 'Control+Alt+M' } });
    expect(JSON.parse(readFileSync(configFile(), 'utf8'))).toMatchObject({
      mute_shortcut: 'Control+Alt+M',
    });
    expect(keys.press('Control+Alt+M')).toBe(true);
    expect(events.filter((e) => e.type === 'mute_shortcut')).toHaveLength(1);
  });

  it('a form without it keeps it; null removes it from the desktop and the file', async () => {
    const keys = new FakeShortcuts();
    const ann = await app(keys);
    await call(ann, 'saveSettings', form('Alt+F5'));
    await call(ann, 'saveSettings', form(undefined));
    expect(keys.held.has('Alt+F5')).toBe(true);
    await call(ann, 'saveSettings', form(null));
    expect(keys.held.size).toBe(0);
    expect(JSON.parse(readFileSync(configFile(), 'utf8'))).not.toHaveProperty('mute_shortcut');
  });

  it('a key alone is refused with the reason, and the shortcut held stays', async () => {
    const keys = new FakeShortcuts();
    const ann = await app(keys);
    await call(ann, 'saveSettings', form('Alt+F5'));
    const refused = await call(ann, 'saveSettings', form('M'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(refused.ok ? '' : refused.error.message).toContain(NEEDS_MODIFIER);
    expect([...keys.held.keys()]).toEqual(['Alt+F5']);
  });

  it('is held from the start when config.json has it, and let go when the app closes', async () => {
    writeFileSync(configFile(), JSON.stringify({ mute_shortcut: 'Control+Shift+F9' }));
    const keys = new FakeShortcuts();
    const ann = await app(keys);
    expect(ann.snapshot().settings.mute_shortcut).toBe('Control+Shift+F9');
    expect(keys.held.has('Control+Shift+F9')).toBe(true);
    await ann.close();
    expect(keys.held.size).toBe(0);
  });

  it('one another app holds is a notice, the setting kept, and the page told to listen', async () => {
    const keys = new FakeShortcuts();
    keys.taken.add('Control+Alt+M');
    const ann = await app(keys);
    const events: StateEvent[] = [];
    ann.onStateEvent((event) => events.push(event));
    const saved = await call<SettingsView>(ann, 'saveSettings', form('Control+Alt+M'));
    expect(saved).toMatchObject({ ok: true, value: { mute_shortcut: 'Control+Alt+M' } });
    expect(ann.snapshot().notices.map((n) => n.message)).toContainEqual(
      expect.stringMatching(/^The mute shortcut Ctrl\+Alt\+M is taken by another app/),
    );
    // It still works in LANrage's window: the page hears the keys itself.
    expect(ann.snapshot().global_shortcuts).toBe(false);
    const told = () => events.filter((e) => e.type === 'global_shortcuts');
    expect(told()).toEqual([{ type: 'global_shortcuts', global_shortcuts: false }]);
    await call(ann, 'saveSettings', form('Alt+F5'));
    expect(ann.snapshot().global_shortcuts).toBe(true);
    expect(told()).toHaveLength(2);
  });

  it('taken at start, the first snapshot tells the page to listen for it itself', async () => {
    writeFileSync(configFile(), JSON.stringify({ mute_shortcut: 'Control+Alt+M' }));
    const keys = new FakeShortcuts();
    keys.taken.add('Control+Alt+M');
    const ann = await app(keys);
    expect(ann.snapshot().global_shortcuts).toBe(false);
    expect(ann.snapshot().settings.mute_shortcut).toBe('Control+Alt+M');
  });

  it('a bad one in config.json is not used (config.test.ts: and said)', async () => {
    writeFileSync(configFile(), JSON.stringify({ mute_shortcut: 'Shift+M' }));
    const keys = new FakeShortcuts();
    const ann = await app(keys);
    expect(ann.snapshot().settings.mute_shortcut).toBeNull();
    expect(keys.held.size).toBe(0);
  });

  it('headless (no desktop shortcuts): kept in settings, and the page is told to listen', async () => {
    const ann = await app();
    await call(ann, 'saveSettings', form('Control+Alt+M'));
    expect(ann.snapshot()).toMatchObject({
      global_shortcuts: false,
      settings: { mute_shortcut: 'Control+Alt+M' },
    });
  });
});
