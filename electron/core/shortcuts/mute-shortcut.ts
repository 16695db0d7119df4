/**
 * Holds the mute shortcut (config.json's `mute_shortcut`) with the desktop's global shortcuts,
 * so that it mutes or unmutes me in voice while a game has the focus. Free of Electron: the
 * shell hands in its globalShortcut as a ShortcutHost; headless mode has none, and the page
 * listens for the keys itself while it has the focus.
 */
import { shortcutWords } from '../../../shared/media/mute-shortcut';
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
  /** `global` changed: the page must listen for the keys itself, or need not any more. */
  globalChanged: (global: boolean) => void;
  report: Report;
}

export class MuteShortcut {
  /** The shortcut registered now, if any. */
  private held: string | null = null;
  /** The shortcut the system would not register, if the one wanted is. */
  private refused: string | null = null;

  constructor(private readonly deps: MuteShortcutDeps) {}

  /**
   * Whether the shortcut works in other apps; else the page listens for it while it has the
   * focus: in a browser, and when the system refused it (another app holds it), so that it
   * still works in LANrage's own window.
   */
  get global(): boolean {
    return this.deps.host !== null && this.refused === null;
  }

  /**
   * Registers `shortcut` in place of the one held (null: none). One the system refuses is a
   * notice, said again each time it is saved again: the setting stays and works in LANrage's
   * own window (the page listens), and in every app once the other app lets it go and it is
   * saved again or LANrage starts again.
   */
  apply(shortcut: string | null): void {
    const host = this.deps.host;
    // Nothing to do when it holds what is asked: a shortcut, or none and none refused.
    if (host === null || (shortcut === this.held && this.refused === null)) return;
    const wasGlobal = this.global;
    this.release();
    if (shortcut !== null) this.register(host, shortcut);
    if (this.global !== wasGlobal) this.deps.globalChanged(this.global);
  }

  release(): void {
    if (this.held !== null) this.deps.host?.unregister(this.held);
    this.held = null;
    this.refused = null;
  }

  private register(host: ShortcutHost, shortcut: string): void {
    if (host.register(shortcut, this.deps.pressed)) {
      this.held = shortcut;
      return;
    }
    this.refused = shortcut;
    this.deps.report(
      `The mute shortcut ${shortcutWords(shortcut)} is taken by another app on this PC, so ` +
        "it works only in LANrage's window, not in your games. Choose another one in Settings.",
    );
  }
}
