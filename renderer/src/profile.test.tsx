// @vitest-environment happy-dom
import { act, cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { iso, makeParty, makePeer, makeState, T0 } from './test-util/fixtures';

afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
  delete window.__LANRAGE_PROFILE__;
});

async function renderList() {
  vi.resetModules();
  const { renderWithStore } = await import('./test-util/render');
  const { PeerList } = await import('./components/party/PeerList');
  return renderWithStore(<PeerList />, makeState({ party: makeParty('bob', ['alice']) }));
}

describe('profile hook', () => {
  it('with profile=1, counts each peer row commit in window.__LANRAGE_PROFILE__', async () => {
    window.history.replaceState(null, '', '/?token=t&profile=1');
    const { store } = await renderList();
    expect(window.__LANRAGE_PROFILE__).toEqual({ bob: 1, alice: 1 });
    // Bob, not me: my own beat re-renders every row, which reads it (a network gone quiet
    // makes everyone's status unknown), as the status that comes with each beat does.
    act(() =>
      store.getState().applyEvent({
        type: 'peer',
        party_id: 'party_abc123',
        peer: makePeer('bob', { last_seen: iso(T0 + 5000) }),
      }),
    );
    expect(window.__LANRAGE_PROFILE__).toEqual({ bob: 2, alice: 1 });
  });

  it('without profile=1, no Profiler runs', async () => {
    await renderList();
    expect(window.__LANRAGE_PROFILE__).toBeUndefined();
  });
});
