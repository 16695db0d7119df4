/**
 * Holds the mute shortcut (config.json's `mute_shortcut`) with the desktop's global shortcuts,
 * so that it mutes or unmutes me in voice while a game has the focus. Free of Electron: the
 * shell hands in its globalShortcut as a ShortcutHost; headless mode has none, and the page
 * listens for the keys itself while it has the focus.
 */
import { shortcutWords } from '../../../shared/mute-shortcut';
import type { Report } from '../notices';

/** The desktop's global shortcuts (the Electron shell's globalShortcut). */
export interface ShortcutHost {
  /** false: the system refused it, most often because another app holds it. */
  register(shortcut: string, pressed: () => void): boolean;
  unregister(shortcut: string): void;
}

export interface MuteShortcutDeps {
  host: ShortcutHost | null;
  /** The shortcut was pressed, wherever the focus is. */
  pressed: () => void;
  report: Report;
}

export class MuteShortcut {
  /** The shortcut registered now, if any. */
  private held: string | null = null;

  constructor(private readonly deps: MuteShortcutDeps) {}

  /** Whether the shortcut works in other apps (else only where the page has the focus). */
  get global(): boolean {
    return this.deps.host !== null;
  }

  /**
   * Registers `shortcut` in place of the one held (null: none). One the system refuses is a
   * notice, said again each time it is saved again: the setting stays, and works once the
   * other app lets it go and LANrage starts again.
   */
  apply(shortcut: string | null): void {
    const host = this.deps.host;
    if (host === null || shortcut === this.held) return;
    this.release();
    if (shortcut === null) return;
    if (host.register(shortcut, this.deps.pressed)) {
      this.held = shortcut;
      return;
    }
    this.deps.report(
      `The mute shortcut ${shortcutWords(shortcut)} is taken by another app on this PC, so ` +
        'it does nothing in your games. Choose another one in Settings.',
    );
  }

  release(): void {
    if (this.held !== null) this.deps.host?.unregister(this.held);
    this.held = null;
  }
}
