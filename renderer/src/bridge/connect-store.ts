import type { StoreApi } from 'zustand/vanilla';
import type { LanrageApi } from '../../../shared/ipc/contract';
import type { AppStore } from '../store/app-store';
import { watchApp, type AppWatchOptions } from './app-watch';

/** The watch's timings and timers, for tests. */
export type ConnectOptions = Pick<AppWatchOptions, 'intervalMs' | 'timeoutMs' | 'timers'>;

/**
 * Feeds the store from the API: every pushed event, plus a getState snapshot (Electron's
 * preload pushes nothing until something changes), again each time the app answers after it
 * stopped. Returns the function that stops both.
 */
export function connectStore(
  api: LanrageApi,
  store: StoreApi<AppStore>,
  options: ConnectOptions = {},
): () => void {
  const unsubscribe = api.onStateEvent((event) => store.getState().applyEvent(event));
  const resync = (always: boolean) =>
    void api
      .getState({})
      .then((result) => {
        if (result.ok && (always || !store.getState().ready)) {
          store.getState().applyEvent({ type: 'snapshot', state: result.value });
        }
      })
      .catch(() => undefined);
  resync(false);
  const stopWatching = watchApp({
    ...options,
    ping: () => api.ping({}),
    onChange: (answering) => {
      store.getState().setAppAnswering(answering);
      if (answering) resync(true);
    },
  });
  return () => {
    unsubscribe();
    stopWatching();
  };
}
