import { act, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { AppState } from '../../../shared/ipc/app-state';
import type { LanrageApi } from '../../../shared/ipc/contract';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/context';
import { fakeApi, makeState } from './fixtures';

/** Renders UI over a fresh store that already holds `state` (as after the first snapshot). */
export function renderWithStore(
  ui: ReactElement,
  state: AppState = makeState(),
  api: LanrageApi = fakeApi().api,
) {
  const store = createAppStore(api);
  store.getState().applyEvent({ type: 'snapshot', state });
  const view = render(
    <StoreProvider store={store} api={api}>
      {ui}
    </StoreProvider>,
  );
  return { store, ...view };
}

/** Runs a UI interaction inside act() and lets the promises it started settle. */
export async function actAsync(interaction: () => void): Promise<void> {
  await act(async () => {
    interaction();
    await Promise.resolve();
  });
}
