/**
 * The key combination that mutes or unmutes me in voice while I play (`mute_shortcut` in
 * config.json): the desktop app registers it with the system (Electron's globalShortcut), so
 * it works while a game has the focus; a browser page (headless mode) hears it while it has
 * the focus. Written as an Electron accelerator in one canonical form (`Control+Alt+M`), the
 * form the page's recorder makes from a key press, so a press and a setting compare as text.
 */
import { z } from 'zod';

/** In this order, each at most once. */
const MODIFIERS = ['Control', 'Alt', 'Shift', 'Super'] as const;
type Modifier = (typeof MODIFIERS)[number];

/**
 * A shortcut needs Control, Alt or Super: the system takes a registered combination from
 * every other app, so a key alone (or with Shift) would be taken from the game and from typing.
 * F13–F24, on no usual keyboard but on gaming keyboards' macro keys, may stand alone.
 */
const HOLDS: readonly Modifier[] = ['Control', 'Alt', 'Super'];

/** `KeyboardEvent.code` → the accelerator's key name (the key's place, whatever the layout). */
function keyOf(code: string): string | null {
  const letter = /^Key([A-Z])$/.exec(code)?.[1];
  if (letter) return letter;
  const digit = /^Digit(\d)$/.exec(code)?.[1];
  if (digit) return digit;
  const numpad = /^Numpad(\d)$/.exec(code)?.[1];
  if (numpad) return `num${numpad}`;
  if (/^F([1-9]|1\d|2[0-4])$/.test(code)) return code;
  return NAMED[code] ?? null;
}

const NAMED: Readonly<Record<string, string>> = {
  Space: 'Space',
  Insert: 'Insert',
  Delete: 'Delete',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
};
const KEYS = new Set<string>([
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''),
  ...Array.from({ length: 10 }, (_, i) => `num${i}`),
  ...Array.from({ length: 24 }, (_, i) => `F${i + 1}`),
  ...Object.values(NAMED),
]);
const LONE_KEY = /^F(1[3-9]|2[0-4])$/;

export const NEEDS_MODIFIER =
  'Hold Ctrl, Alt or the Windows key with it: a key on its own would be taken from your games.';

/** Why `text` is not a shortcut, or null when it is one. */
function shortcutError(text: string): string | null {
  const parts = text.split('+');
  const key = parts.pop() ?? '';
  if (!KEYS.has(key)) return 'must end with a letter, digit, F1–F24 or a named key';
  let last = -1;
  for (const part of parts) {
    const at = MODIFIERS.indexOf(part as Modifier);
    if (at <= last) return 'must name Control, Alt, Shift and Super in that order, once each';
    last = at;
  }
  const held = parts.some((part) => HOLDS.includes(part as Modifier));
  return held || LONE_KEY.test(key) ? null : NEEDS_MODIFIER;
}

export const MuteShortcutSchema = z
  .string()
  .max(40)
  .superRefine((text, ctx) => {
    const error = shortcutError(text);
    if (error !== null) ctx.addIssue({ code: 'custom', message: error });
  });

/** The keys held and pressed, as a keydown event has them. */
export interface KeyPress {
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

/**
 * The press as an accelerator: null while only modifiers are down or for a key a shortcut
 * cannot use; may still need a modifier (check with MuteShortcutSchema).
 */
export function shortcutOf(press: KeyPress): string | null {
  const key = keyOf(press.code);
  if (key === null) return null;
  const held: Record<Modifier, boolean> = {
    Control: press.ctrlKey,
    Alt: press.altKey,
    Shift: press.shiftKey,
    Super: press.metaKey,
  };
  return [...MODIFIERS.filter((m) => held[m]), key].join('+');
}

/** As the user reads it: `Ctrl+Alt+M`. */
export function shortcutWords(shortcut: string): string {
  return shortcut.replace(/^Control\+/, 'Ctrl+');
}
