/**
 * Choosing what to share (shared/ipc/screens.ts): the shell lists the desktop's screens and
 * windows and takes the one chosen for the next capture (electron/main/desktop-screens.ts).
 * Headless mode has none: the browser asks itself, so the page is told null.
 */
import { ControlPlaneError } from '../../../shared/protocol/errors';
import type { ScreenSource, ScreensChannel } from '../../../shared/ipc/screens';
import type { IpcHandlers } from './ipc-registry';

export interface ScreenSources {
  /** What may be shared, or null where the system asks itself (macOS's picker). */
  list(): Promise<ScreenSource[] | null>;
  /** The next capture takes this source; false when it was not in the last list. */
  choose(id: string): boolean;
}

export function screenHandlers(
  screens: ScreenSources | undefined,
): Pick<IpcHandlers, ScreensChannel> {
  return {
    listScreenSources: async () => (screens ? screens.list() : null),
    chooseScreenSource: ({ id }) => {
      if (screens?.choose(id)) return Promise.resolve(null);
      const gone = 'That screen or window is not there any more: choose again.';
      return Promise.reject(new ControlPlaneError(gone, { code: 'not_found' }));
    },
  };
}
