// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, makeState, makeStatus } from '../../test-util/fixtures';
import { actAsync, renderWithStore } from '../../test-util/render';
import { CreatePartyForm } from './CreatePartyForm';

afterEach(cleanup);

const UNREACHABLE =
  "Can't reach 127.0.0.1:9000 right now, so the party could not be made there. " +
  'LANrage keeps trying: try again in a moment.';

/** The form with Create refused as the app refuses it while the server is away. */
async function refusedWhile(state: 'reconnecting' | 'connected') {
  const fake = fakeApi({
    createParty: () => ({ ok: false, error: { code: 'unreachable', message: UNREACHABLE } }),
  });
  const view = renderWithStore(
    <CreatePartyForm />,
    makeState({ status: makeStatus({ state }) }),
    fake.api,
  );
  await actAsync(() => fireEvent.click(screen.getByTestId('create-party-button')));
  expect(screen.getByRole('alert').textContent).toBe(UNREACHABLE);
  return view.store;
}

describe('Create refused because the server was away', () => {
  it('the reason goes once the server is reached again (it said "Can\'t reach" beside Connected)', async () => {
    const store = await refusedWhile('reconnecting');
    act(() =>
      store.getState().applyEvent({ type: 'status', status: makeStatus({ state: 'offline' }) }),
    );
    expect(screen.getByRole('alert').textContent).toBe(UNREACHABLE);
    act(() =>
      store.getState().applyEvent({ type: 'status', status: makeStatus({ state: 'connected' }) }),
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('refused while connected, it stays until the user acts', async () => {
    const store = await refusedWhile('connected');
    act(() =>
      store.getState().applyEvent({ type: 'status', status: makeStatus({ state: 'connected' }) }),
    );
    expect(screen.getByRole('alert').textContent).toBe(UNREACHABLE);
  });
});
