// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, makeParty, makeState } from '../../test-util/fixtures';
import { actAsync, renderWithStore } from '../../test-util/render';
import { App } from '../App';
import type { IpcResult } from '../../../../shared/ipc/contract';

afterEach(cleanup);

const request = {
  party_id: 'party_abc123',
  peer_id: 'dan',
  name: 'Dan',
  key_fingerprint: null,
  expires_at: new Date(Date.now() + 120_000).toISOString(),
};

describe('an Accept that comes too late (join requests, host)', () => {
  it('says why Dan could not come in after his request is gone, until dismissed', async () => {
    // As the server does: the request ends (a push) and then the answer is refused.
    let gone = () => {};
    const fake = fakeApi({
      listInvites: () => ({ ok: true, value: [] }),
      answerJoin: () => {
        gone();
        const message = 'This party is full. Ask the host to make room or raise the limit.';
        return { ok: false, error: { code: 'party_full', message } };
      },
    });
    const state = makeState({ party: makeParty('alice'), join_requests: [request] });
    const { store } = renderWithStore(<App />, state, fake.api);
    gone = () => store.getState().applyEvent({ type: 'join_requests', join_requests: [] });
    await actAsync(() => fireEvent.click(screen.getByTestId('accept-join')));
    expect(screen.queryByTestId('join-request')).toBeNull();
    // No "Waiting to join 0": the title stands alone over the message.
    expect(screen.getByTestId('join-requests').querySelector('h2')?.textContent).toBe(
      'Waiting to join ',
    );
    expect(screen.getByTestId('join-request-error').textContent).toBe(
      'Dan could not come in: the party is full. Raise the limit in Party settings or make ' +
        'room, then ask them to join again.',
    );
    fireEvent.click(screen.getByTestId('join-request-error-dismiss'));
    expect(screen.queryByTestId('join-requests')).toBeNull();
  });
});

describe('focus after an answer (keyboard)', () => {
  const eve = { ...request, peer_id: 'eve', name: 'Eve' };

  function answeredAway(requests: (typeof request)[]) {
    let gone = () => {};
    const fake = fakeApi({
      listInvites: () => ({ ok: true, value: [] }),
      answerJoin: () => {
        gone();
        return { ok: true, value: null };
      },
    });
    const state = makeState({ party: makeParty('alice'), join_requests: requests });
    const { store } = renderWithStore(<App />, state, fake.api);
    gone = () =>
      store.getState().applyEvent({ type: 'join_requests', join_requests: requests.slice(1) });
  }

  it('goes to the list title while others still wait, not to the top of the page', async () => {
    answeredAway([request, eve]);
    const accept = screen.getAllByTestId('accept-join')[0]!;
    accept.focus();
    await actAsync(() => fireEvent.click(accept));
    expect(screen.getAllByTestId('join-request')).toHaveLength(1);
    expect(document.activeElement?.id).toBe('join-requests-title');
  });

  it('a second press while the answer is on its way sends nothing more', async () => {
    let answered: (result: IpcResult<unknown>) => void = () => {};
    const fake = fakeApi({
      listInvites: () => ({ ok: true, value: [] }),
      answerJoin: () => new Promise((resolve) => (answered = resolve)),
    });
    renderWithStore(
      <App />,
      makeState({ party: makeParty('alice'), join_requests: [request] }),
      fake.api,
    );
    const accept = screen.getByTestId('accept-join');
    await actAsync(() => fireEvent.click(accept));
    // Still focusable (a disabled button would drop focus), only marked busy.
    expect(accept.getAttribute('aria-disabled')).toBe('true');
    await actAsync(() => fireEvent.click(accept));
    await actAsync(() => fireEvent.click(screen.getByTestId('reject-join')));
    expect(fake.calls.filter((c) => c.channel === 'answerJoin')).toHaveLength(1);
    await actAsync(() => answered({ ok: true, value: null }));
  });

  it('goes to the members title when the last request is answered', async () => {
    answeredAway([request]);
    const reject = screen.getByTestId('reject-join');
    reject.focus();
    await actAsync(() => fireEvent.click(reject));
    expect(screen.queryByTestId('join-requests')).toBeNull();
    expect(document.activeElement?.id).toBe('members-title');
  });
});
