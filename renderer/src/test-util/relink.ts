import { act } from '@testing-library/react';
import type { StoreApi } from 'zustand';
import type { AppStore } from '../store/app-store';
import { makeStatus } from './fixtures';

/** The app loses its server and is linked to it again, as the store hears it. */
export function relink(store: StoreApi<AppStore>): void {
  for (const state of ['reconnecting', 'connected'] as const) {
    act(() => store.getState().applyEvent({ type: 'status', status: makeStatus({ state }) }));
  }
}
