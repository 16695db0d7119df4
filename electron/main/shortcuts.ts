/**
 * The desktop's global shortcuts for the app service (electron/core/shortcuts): a registered
 * combination reaches LANrage whichever app has the focus, a game included.
 */
import { globalShortcut } from 'electron';
import type { ShortcutHost } from '../core/shortcuts/mute-shortcut';

export function globalShortcuts(): ShortcutHost {
  return {
    register(shortcut, pressed) {
      try {
        return globalShortcut.register(shortcut, pressed);
      } catch {
        // An accelerator this platform's Electron cannot read: as if another app held it.
        return false;
      }
    },
    unregister(shortcut) {
      globalShortcut.unregister(shortcut);
    },
  };
}
