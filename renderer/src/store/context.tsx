import { createContext, useContext, type ReactNode } from 'react';
import { useStore as useZustandStore, type StoreApi } from 'zustand';
import type { LanrageApi } from '../../../shared/ipc/contract';
import type { AppStore } from './app-store';

const StoreContext = createContext<StoreApi<AppStore> | null>(null);
const ApiContext = createContext<LanrageApi | null>(null);

/**
 * The store, and the API it was made for: what is not state (voice chat's signals) is read
 * from the API itself.
 */
export function StoreProvider({
  store,
  api,
  children,
}: {
  store: StoreApi<AppStore>;
  api?: LanrageApi;
  children: ReactNode;
}) {
  return (
    <StoreContext.Provider value={store}>
      <ApiContext.Provider value={api ?? null}>{children}</ApiContext.Provider>
    </StoreContext.Provider>
  );
}

/** The store itself, for reading state inside another store's selector. */
export function useStoreApi(): StoreApi<AppStore> {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore must be used inside <StoreProvider>');
  return store;
}

/** The API the store was made for (given to <StoreProvider api>). */
export function useApi(): LanrageApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi must be used inside <StoreProvider api={…}>');
  return api;
}

/** Selects a narrow slice; the component re-renders only when that slice changes (Object.is). */
export function useStore<T>(selector: (state: AppStore) => T): T {
  return useZustandStore(useStoreApi(), selector);
}
