// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { NEEDS_MODIFIER } from '../../../shared/media/mute-shortcut';
import { fakeApi, makeState } from '../test-util/fixtures';
import { actAsync, renderWithStore } from '../test-util/render';
import { App } from './App';

afterEach(cleanup);

function open(mute_shortcut: string | null = null, global = false) {
  const fake = fakeApi({ saveSettings: (r) => ({ ok: true, value: r as never }) });
  const settings = { ...makeState().settings, mute_shortcut };
  renderWithStore(<App />, makeState({ settings, global_shortcuts: global }), fake.api);
  fireEvent.click(screen.getByTestId('settings-button'));
  return fake;
}

const field = () => screen.getByTestId<HTMLInputElement>('settings-mute-shortcut');
const press = (init: KeyboardEventInit) => fireEvent.keyDown(field(), init);
const error = () => screen.queryByTestId('settings-mute-shortcut-error')?.textContent ?? null;
async function save(fake: ReturnType<typeof open>) {
  await actAsync(() => fireEvent.submit(field().closest('form')!));
  return fake.calls.find((c) => c.channel === 'saveSettings')?.request;
}

describe('Settings: the mute shortcut', () => {
  it('records the keys pressed in the field, shows them as read, and saves them', async () => {
    const fake = open();
    expect(field().value).toBe('');
    press({ code: 'ControlLeft', key: 'Control', ctrlKey: true });
    expect([field().value, error()]).toEqual(['', null]);
    press({ code: 'KeyM', key: 'm', ctrlKey: true, altKey: true });
    expect(field().value).toBe('Ctrl+Alt+M');
    expect(await save(fake)).toMatchObject({ mute_shortcut: 'Control+Alt+M' });
  });

  it('a key alone, or one no shortcut can use, is refused in words; the one set stays', () => {
    open('Alt+F5');
    press({ code: 'KeyM', key: 'm' });
    expect(error()).toBe(NEEDS_MODIFIER);
    expect(field().getAttribute('aria-invalid')).toBe('true');
    press({ code: 'Semicolon', key: ';', ctrlKey: true });
    expect(error()).toMatch(/^That key can't be a shortcut/);
    expect(field().value).toBe('Alt+F5');
    press({ code: 'KeyK', key: 'k', altKey: true });
    expect([field().value, error()]).toEqual(['Alt+K', null]);
  });

  it('Backspace or Clear removes it, and None is saved', async () => {
    const fake = open('Alt+F5');
    press({ code: 'Backspace', key: 'Backspace' });
    expect(field().value).toBe('');
    press({ code: 'KeyM', key: 'm', altKey: true });
    fireEvent.click(screen.getByTestId('settings-mute-shortcut-clear'));
    expect(field().value).toBe('');
    expect(await save(fake)).toMatchObject({ mute_shortcut: null });
  });

  it('a press recorded is not heard by the page as the shortcut itself', () => {
    open('Control+Alt+M');
    const heard: string[] = [];
    const listen = (event: KeyboardEvent) => heard.push(event.code);
    window.addEventListener('keydown', listen);
    try {
      press({ code: 'KeyM', key: 'm', ctrlKey: true, altKey: true });
      press({ code: 'KeyK', key: 'k', altKey: true });
    } finally {
      window.removeEventListener('keydown', listen);
    }
    expect(heard).toEqual([]);
  });

  it('Tab, Enter and Escape still leave the field, save and close: they are not recorded', () => {
    const fake = open();
    expect(fireEvent.keyDown(field(), { code: 'Tab', key: 'Tab' })).toBe(true);
    expect(fireEvent.keyDown(field(), { code: 'Enter', key: 'Enter' })).toBe(true);
    expect([field().value, error()]).toEqual(['', null]);
    fireEvent.keyDown(field(), { code: 'Escape', key: 'Escape' });
    expect(screen.queryByTestId('settings-dialog')).toBeNull();
    expect(fake.calls.filter((c) => c.channel === 'saveSettings')).toEqual([]);
  });

  it('says where it works: in games with the desktop app, else while the page has the focus', () => {
    open(null, true);
    expect(screen.getByText(/while you play: LANrage takes these keys/)).toBeTruthy();
    cleanup();
    open(null, false);
    expect(screen.getByText(/while this page has the focus/)).toBeTruthy();
  });
});
