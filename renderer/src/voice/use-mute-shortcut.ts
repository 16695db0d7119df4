/**
 * The mute shortcut (Settings; shared/media/mute-shortcut.ts) mutes or unmutes me in voice. The
 * desktop app holds it as a global shortcut and tells the page (`mute_shortcut` events), so it
 * works while a game has the focus; in a browser (headless mode) the page hears the keys
 * itself, while it has the focus.
 */
import { useEffect } from 'react';
import { shortcutOf } from '../../../shared/media/mute-shortcut';
import { useApi, useStore } from '../store/context';

interface Mutable {
  toggleMuteInVoice(): void;
}

export function useMuteShortcut(mesh: Mutable | null): void {
  const api = useApi();
  const shortcut = useStore((s) => s.settings?.mute_shortcut ?? null);
  const global = useStore((s) => s.globalShortcuts);

  useEffect(() => {
    if (!mesh) return;
    return api.onStateEvent((event) => {
      if (event.type === 'mute_shortcut') mesh.toggleMuteInVoice();
    });
  }, [api, mesh]);

  useEffect(() => {
    // With a global shortcut the system takes the keys before the page sees them.
    if (!mesh || global || shortcut === null) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.repeat || shortcutOf(event) !== shortcut) return;
      event.preventDefault();
      mesh.toggleMuteInVoice();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mesh, global, shortcut]);
}
