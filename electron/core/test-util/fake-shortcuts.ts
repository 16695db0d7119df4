/** Test double: the desktop's global shortcuts, with keys another app holds and a press. */
import type { ShortcutHost } from '../shortcuts/mute-shortcut';

export class FakeShortcuts implements ShortcutHost {
  /** Registered now, with what each runs. */
  readonly held = new Map<string, () => void>();
  /** Combinations another app on this PC holds: registering them fails. */
  readonly taken = new Set<string>();

  register(shortcut: string, pressed: () => void): boolean {
    if (this.taken.has(shortcut) || this.held.has(shortcut)) return false;
    this.held.set(shortcut, pressed);
    return true;
  }

  unregister(shortcut: string): void {
    this.held.delete(shortcut);
  }

  /** The user presses `shortcut`, in whatever app: false when nothing holds it. */
  press(shortcut: string): boolean {
    const pressed = this.held.get(shortcut);
    pressed?.();
    return pressed !== undefined;
  }
}
