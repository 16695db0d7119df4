// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, makeParty, makeState } from '../../test-util/fixtures';
import { ok } from '../../test-util/host-view';
import { actAsync, renderWithStore } from '../../test-util/render';
import { App } from '../App';

afterEach(cleanup);

describe('join requests (host)', () => {
  it('lists who waits, with Accept and Reject sending answer_join', async () => {
    const fake = fakeApi({ listInvites: () => ok([]), answerJoin: () => ok(null) });
    const request = {
      party_id: 'party_abc123',
      peer_id: 'dan',
      name: 'Dan',
      key_fingerprint: 'ab12 cd34',
      expires_at: new Date(Date.now() + 120_000).toISOString(),
    };
    renderWithStore(
      <App />,
      makeState({ party: makeParty('alice'), join_requests: [request] }),
      fake.api,
    );
    const item = screen.getByTestId('join-request');
    expect(item.textContent).toContain('Dan');
    expect(item.textContent).toContain('ab12 cd34');
    expect(screen.queryByTestId('join-request-away')).toBeNull();
    await actAsync(() => fireEvent.click(screen.getByTestId('reject-join')));
    expect(fake.calls.filter((c) => c.channel === 'answerJoin').map((c) => c.request)).toEqual([
      { peer_id: 'dan', accept: false },
    ]);
  });
});

describe('leaving alone while players wait to get in', () => {
  it('asks first, says they will be turned away, and ends the party on Leave', async () => {
    const fake = fakeApi({ listInvites: () => ok([]), leaveParty: () => ok(null) });
    const request = {
      peer_id: 'dan',
      name: 'Dan',
      key_fingerprint: null,
      expires_at: new Date(Date.now() + 120_000).toISOString(),
    };
    const state = makeState({ party: makeParty('alice'), join_requests: [request] });
    renderWithStore(<App />, state, fake.api);
    await actAsync(() => fireEvent.click(screen.getByTestId('leave-party')));
    expect(fake.calls.map((c) => c.channel)).not.toContain('leaveParty');
    expect(screen.getByTestId('leave-waiting').textContent).toBe(
      '1 player is waiting for you to let them in. You are the only member: leaving ends ' +
        'the party, and they are told it ended.',
    );
    expect(screen.queryByTestId('leave-hand-over')).toBeNull();
    await actAsync(() => fireEvent.click(screen.getByTestId('leave-confirm')));
    expect(fake.calls.find((c) => c.channel === 'leaveParty')?.request).toEqual({
      end_for_everyone: true,
    });
  });
});

describe('a request whose joiner left', () => {
  it('says the app closed and that accepting lets them in offline', () => {
    const request = {
      peer_id: 'dan',
      name: 'Dan',
      key_fingerprint: null,
      expires_at: new Date(Date.now() + 120_000).toISOString(),
      away: true,
    };
    const fake = fakeApi({ listInvites: () => ok([]) });
    const state = makeState({ party: makeParty('alice'), join_requests: [request] });
    renderWithStore(<App />, state, fake.api);
    expect(screen.getByTestId('join-request-away').textContent).toBe(
      ' · app closed: joins as offline if accepted',
    );
  });
});
