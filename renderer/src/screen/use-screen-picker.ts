/**
 * Choosing what to share before the capture starts (shared/ipc/screens.ts): the desktop app
 * lists its screens and windows and the user picks one; where the system or the browser asks
 * itself (macOS, headless mode) the capture starts at once.
 */
import { useCallback, useState } from 'react';
import type { ScreenSource } from '../../../shared/ipc/screens';
import { useApi } from '../store/context';

export interface ScreenPicker {
  /** The choices while the picker is open. */
  sources: ScreenSource[] | null;
  /** Asking the desktop what there is (the button waits). */
  listing: boolean;
  /** Why the picker could not list or take a choice. */
  error: string | null;
  open: () => void;
  pick: (id: string) => void;
  cancel: () => void;
}

/** `start` begins the capture (the screen machine's start). */
export function useScreenPicker(start: () => void): ScreenPicker {
  const api = useApi();
  const [sources, setSources] = useState<ScreenSource[] | null>(null);
  const [listing, setListing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = useCallback(() => {
    setError(null);
    setListing(true);
    void api.listScreenSources({}).then((listed) => {
      setListing(false);
      if (!listed.ok) setError(listed.error.message);
      else if (listed.value === null) start();
      else setSources(listed.value);
    });
  }, [api, start]);
  const pick = useCallback(
    (id: string) => {
      setSources(null);
      void api.chooseScreenSource({ id }).then((chosen) => {
        if (chosen.ok) start();
        else setError(chosen.error.message);
      });
    },
    [api, start],
  );
  const cancel = useCallback(() => setSources(null), []);
  return { sources, listing, error, open, pick, cancel };
}
