/**
 * Settings' mute shortcut: the field records the keys pressed while it has the focus
 * (shared/media/mute-shortcut.ts says which may be one); Backspace or Clear removes it.
 */
import { useState, type KeyboardEvent } from 'react';
import { MuteShortcutSchema, shortcutOf, shortcutWords } from '../../../shared/media/mute-shortcut';
import { useStore } from '../store/context';
import { FieldError, invalidProps } from './common/FieldError';

const MODIFIER_CODES = /^(Control|Alt|Shift|Meta|OS)(Left|Right)?$/;
const NOT_A_KEY = "That key can't be a shortcut: use a letter, a digit, F1–F24 or an arrow key.";

/** What a key press in the field does: the new shortcut, an error, or nothing (let it be). */
function read(event: KeyboardEvent): { shortcut: string | null } | { error: string } | null {
  const bare = !event.ctrlKey && !event.altKey && !event.shiftKey && !event.metaKey;
  // The keyboard's ways out of the field and the dialog, and Enter to save, still work.
  const passes = event.key === 'Escape' || event.key === 'Enter';
  if (event.key === 'Tab' || (passes && bare)) return null;
  if (event.key === 'Backspace' && bare) return { shortcut: null };
  if (MODIFIER_CODES.test(event.code)) return { error: '' };
  const shortcut = shortcutOf(event);
  if (shortcut === null) return { error: NOT_A_KEY };
  const parsed = MuteShortcutSchema.safeParse(shortcut);
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? NOT_A_KEY };
  return { shortcut: parsed.data };
}

interface MuteShortcutFieldProps {
  value: string | null;
  onChange: (shortcut: string | null) => void;
}

/** The field's key presses: the shortcut they make, or why they make none. */
function useRecorder(onChange: (shortcut: string | null) => void) {
  const [error, setError] = useState('');
  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const result = read(event);
    if (result === null) return;
    // Not typed, and not heard as the shortcut itself (use-mute-shortcut.ts) while recorded.
    event.preventDefault();
    event.stopPropagation();
    if ('error' in result) return setError(result.error);
    setError('');
    onChange(result.shortcut);
  }
  return { error, onKeyDown };
}

export function MuteShortcutField({ value, onChange }: MuteShortcutFieldProps) {
  const global = useStore((s) => s.globalShortcuts);
  const { error, onKeyDown } = useRecorder(onChange);
  return (
    <div className="field">
      <label className="label" htmlFor="settings-mute-shortcut">
        Mute shortcut
      </label>
      <div className="field-row">
        <input
          id="settings-mute-shortcut"
          data-testid="settings-mute-shortcut"
          className="field-grow"
          readOnly
          value={value === null ? '' : shortcutWords(value)}
          // Short enough for 360 px: "None: click here, then press the keys" ended "the ke".
          placeholder="None: click, then press keys"
          onKeyDown={onKeyDown}
          aria-describedby="settings-mute-shortcut-hint"
          {...invalidProps('settings-mute-shortcut-error', error || undefined)}
        />
        {value !== null && (
          <button
            type="button"
            className="button button-small"
            data-testid="settings-mute-shortcut-clear"
            onClick={() => onChange(null)}
          >
            Clear
          </button>
        )}
      </div>
      <span className="hint" id="settings-mute-shortcut-hint">
        {global
          ? 'Mutes or unmutes you in voice while you play: LANrage takes these keys from your other apps.'
          : 'Mutes or unmutes you in voice while this page has the focus; in the desktop app, a shortcut no other app holds works in your games too.'}
      </span>
      <FieldError id="settings-mute-shortcut-error" message={error || undefined} />
    </div>
  );
}
