import { createContext, useContext, type ReactNode } from 'react';
import { useStore as useZustandStore, type StoreApi } from 'zustand';
import type { AppStore } from './app-store';

const StoreContext = createContext<StoreApi<AppStore> | null>(null);

export function StoreProvider({
  store,
  children,
}: {
  store: StoreApi<AppStore>;
  children: ReactNode;
}) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** The store itself, for reading state inside another store's selector. */
export function useStoreApi(): StoreApi<AppStore> {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore must be used inside <StoreProvider>');
  return store;
}

/** Selects a narrow slice; the component re-renders only when that slice changes (Object.is). */
export function useStore<T>(selector: (state: AppStore) => T): T {
  return useZustandStore(useStoreApi(), selector);
}
