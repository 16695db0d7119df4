import { describe, expect, it } from 'vitest';
import { MuteShortcutSchema, NEEDS_MODIFIER, shortcutOf, shortcutWords } from './mute-shortcut';

const press = (code: string, held: Partial<Record<'ctrl' | 'alt' | 'shift' | 'meta', true>>) => ({
  code,
  ctrlKey: held.ctrl === true,
  altKey: held.alt === true,
  shiftKey: held.shift === true,
  metaKey: held.meta === true,
});

const refusal = (text: string) => {
  const parsed = MuteShortcutSchema.safeParse(text);
  return parsed.success ? null : parsed.error.issues[0]?.message;
};

describe('the mute shortcut', () => {
  it('takes a key with Control, Alt or Super, in the canonical order', () => {
    for (const ok of ['Control+Alt+M', 'Alt+F5', 'Super+num3', 'Control+Shift+Space', 'F13']) {
      expect(refusal(ok), ok).toBeNull();
    }
  });

  it('refuses a key alone or with Shift only: the system would take it from the game', () => {
    expect(refusal('M')).toBe(NEEDS_MODIFIER);
    expect(refusal('Shift+M')).toBe(NEEDS_MODIFIER);
    expect(refusal('F5')).toBe(NEEDS_MODIFIER);
  });

  it('refuses what is not one canonical accelerator', () => {
    expect(refusal('Alt+Control+M')).toMatch(/in that order, once each/);
    expect(refusal('Control+Control+M')).toMatch(/in that order, once each/);
    expect(refusal('Ctrl+M')).toMatch(/in that order/);
    expect(refusal('Control+')).toMatch(/must end with/);
    expect(refusal('Control+Alt')).toMatch(/must end with/);
    expect(refusal('Control+Alt+MediaPlayPause')).toMatch(/must end with/);
    expect(refusal(`Control+${'A'.repeat(40)}`)).not.toBeNull();
  });

  it('reads a key press as the accelerator a setting holds, whatever the layout', () => {
    expect(shortcutOf(press('KeyM', { ctrl: true, alt: true }))).toBe('Control+Alt+M');
    expect(shortcutOf(press('Digit5', { meta: true, shift: true }))).toBe('Shift+Super+5');
    expect(shortcutOf(press('Numpad0', { alt: true }))).toBe('Alt+num0');
    expect(shortcutOf(press('ArrowUp', { ctrl: true }))).toBe('Control+Up');
    expect(shortcutOf(press('F24', {}))).toBe('F24');
    // Modifiers alone, or a key a shortcut cannot use: nothing yet.
    expect(shortcutOf(press('ControlLeft', { ctrl: true }))).toBeNull();
    expect(shortcutOf(press('Semicolon', { ctrl: true }))).toBeNull();
    // Every press it reads is one the schema reads the same way (or asks for a modifier).
    expect(refusal(shortcutOf(press('KeyM', { shift: true }))!)).toBe(NEEDS_MODIFIER);
  });

  it('is shown as a user reads it', () => {
    expect(shortcutWords('Control+Alt+M')).toBe('Ctrl+Alt+M');
    expect(shortcutWords('Alt+F5')).toBe('Alt+F5');
  });
});
