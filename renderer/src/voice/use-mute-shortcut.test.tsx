// @vitest-environment happy-dom
import { act, cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { makeState } from '../test-util/fixtures';
import { tick } from '../test-util/voice-fakes';
import { inVoiceWithBob, setupVoiceHook } from '../test-util/voice-hook-rig';

afterEach(cleanup);

type Rig = ReturnType<typeof setupVoiceHook>;

/** The app's settings with this shortcut, held by the desktop (`global`) or not. */
function withShortcut(s: Rig, shortcut: string | null, global: boolean) {
  const state = s.store.getState();
  const settings = { ...makeState().settings, mute_shortcut: shortcut };
  act(() =>
    state.applyEvent({
      type: 'snapshot',
      state: makeState({ party: state.party, settings, global_shortcuts: global }),
    }),
  );
}

const pressed = (s: Rig) => act(() => s.fake.emit({ type: 'mute_shortcut' }));
const keydown = (init: KeyboardEventInit) =>
  act(() => {
    window.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, ...init }));
  });
const muted = (s: Rig) => s.hook.result.current.view.muted;
const muteSignals = (s: Rig) => s.sent().filter((line) => line.startsWith('mute'));

describe('the mute shortcut', () => {
  it('pressed in any app (the desktop tells the page) mutes me in voice, then unmutes', async () => {
    const s = setupVoiceHook();
    await inVoiceWithBob(s);
    pressed(s);
    await act(tick);
    expect(muted(s)).toBe(true);
    pressed(s);
    await act(tick);
    expect(muted(s)).toBe(false);
    expect(muteSignals(s)).toEqual(['mute->bob', 'mute->bob']);
  });

  it('out of voice it does nothing: there is nothing to mute', async () => {
    const s = setupVoiceHook();
    pressed(s);
    await act(tick);
    expect(muted(s)).toBe(false);
    await inVoiceWithBob(s);
    expect(muted(s)).toBe(false);
  });

  it('without a desktop (headless), the page hears the keys itself, once per press', async () => {
    const s = setupVoiceHook();
    withShortcut(s, 'Control+Alt+M', false);
    await inVoiceWithBob(s);
    keydown({ code: 'KeyM', ctrlKey: true, altKey: true });
    expect(muted(s)).toBe(true);
    keydown({ code: 'KeyM', ctrlKey: true, altKey: true, repeat: true });
    keydown({ code: 'KeyM', ctrlKey: true });
    keydown({ code: 'KeyN', ctrlKey: true, altKey: true });
    expect(muted(s)).toBe(true);
    keydown({ code: 'KeyM', ctrlKey: true, altKey: true });
    expect(muted(s)).toBe(false);
  });

  it('held by the desktop, the page does not listen too (a press would count twice)', async () => {
    const s = setupVoiceHook();
    withShortcut(s, 'Control+Alt+M', true);
    await inVoiceWithBob(s);
    keydown({ code: 'KeyM', ctrlKey: true, altKey: true });
    expect(muted(s)).toBe(false);
  });

  it('one the desktop could not hold (another app has it) the page hears itself, told so', async () => {
    const s = setupVoiceHook();
    withShortcut(s, 'Control+Alt+M', true);
    await inVoiceWithBob(s);
    act(() => s.store.getState().applyEvent({ type: 'global_shortcuts', global_shortcuts: false }));
    keydown({ code: 'KeyM', ctrlKey: true, altKey: true });
    expect(muted(s)).toBe(true);
    act(() => s.store.getState().applyEvent({ type: 'global_shortcuts', global_shortcuts: true }));
    keydown({ code: 'KeyM', ctrlKey: true, altKey: true });
    expect(muted(s)).toBe(true);
  });
});
