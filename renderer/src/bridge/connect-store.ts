import type { StoreApi } from 'zustand/vanilla';
import type { LanrageApi } from '../../../shared/ipc/contract';
import type { AppStore } from '../store/app-store';

/**
 * Feeds the store from the API: every pushed event, plus a getState snapshot (Electron's
 * preload pushes nothing until something changes). Returns the unsubscribe function.
 */
export function connectStore(api: LanrageApi, store: StoreApi<AppStore>): () => void {
  const unsubscribe = api.onStateEvent((event) => store.getState().applyEvent(event));
  void api
    .getState({})
    .then((result) => {
      if (result.ok && !store.getState().ready) {
        store.getState().applyEvent({ type: 'snapshot', state: result.value });
      }
    })
    .catch(() => undefined);
  return unsubscribe;
}
