// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../../../shared/ipc/contract';
import { fakeApi, makeState } from '../../test-util/fixtures';
import { actAsync, renderWithStore } from '../../test-util/render';
import { MAX_LIST_QUERY } from '../../../../shared/access/protocol';
import type { PartySummaryView } from '../../../../shared/ipc/access';
import { App } from '../App';
import { BROWSE_SETTLE_MS } from './BrowseView';

afterEach(cleanup);

function summary(n: number, changes: Partial<PartySummaryView> = {}): PartySummaryView {
  return {
    party_id: `party_public_${n}`,
    name: `Public ${n}`,
    host_name: 'Robo',
    peer_count: 2,
    max_peers: 8,
    join_policy: 'open',
    visibility: 'public',
    locked: false,
    ...changes,
  };
}

type Page = { parties: PartySummaryView[]; next_cursor: string | null };
const page = (parties: PartySummaryView[], next: string | null = null): IpcResult<Page> => ({
  ok: true,
  value: { parties, next_cursor: next },
});

async function openBrowse(api = fakeApi().api) {
  const view = renderWithStore(<App />, makeState(), api);
  await actAsync(() => fireEvent.click(screen.getByTestId('open-browse')));
  return view;
}

describe('Browse', () => {
  it('lists public parties with count, limit and marks; a locked or full one cannot be joined', async () => {
    const fake = fakeApi({
      listParties: () =>
        page([
          summary(1, { join_policy: 'password' }),
          summary(2, { locked: true }),
          summary(3, { peer_count: 8 }),
        ]),
    });
    await openBrowse(fake.api);
    const rows = screen.getAllByTestId('browse-party');
    expect(rows.map((r) => r.querySelector('.browse-name')?.textContent)).toEqual([
      'Public 1',
      'Public 2',
      'Public 3',
    ]);
    expect(screen.getAllByTestId('browse-count')[0]!.textContent).toBe('2 of 8 players');
    const access = screen.getAllByTestId('browse-access');
    expect(access.map((a) => a.textContent)).toEqual(['Password', 'Locked', 'Full']);
    // Marks drawn as SVG (no emoji font needed), hidden from screen readers: the word says it.
    const marks = access.map((a) =>
      a.querySelector('svg[aria-hidden="true"]')?.getAttribute('data-icon'),
    );
    expect(marks).toEqual(['key', 'lock', undefined]);
    const joins = screen.getAllByTestId<HTMLButtonElement>('browse-join');
    expect(joins.map((b) => b.disabled)).toEqual([false, true, true]);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Public parties');
  });

  it('pages on with next_cursor and appends; the last page has no More button', async () => {
    const fake = fakeApi({
      listParties: (request) =>
        (request as { cursor?: string }).cursor === 'c1'
          ? page([summary(3)])
          : page([summary(1), summary(2)], 'c1'),
    });
    await openBrowse(fake.api);
    await actAsync(() => fireEvent.click(screen.getByTestId('browse-more')));
    expect(screen.getAllByTestId('browse-party')).toHaveLength(3);
    expect(screen.queryByTestId('browse-more')).toBeNull();
    expect(fake.calls.filter((c) => c.channel === 'listParties').map((c) => c.request)).toEqual([
      { limit: 20 },
      { limit: 20, cursor: 'c1' },
    ]);
  });

  it('searches by name from the first page, and says when nothing matches', async () => {
    const fake = fakeApi({
      listParties: (request) =>
        (request as { query?: string }).query === 'zzz' ? page([]) : page([summary(1)]),
    });
    await openBrowse(fake.api);
    fireEvent.change(screen.getByTestId('browse-query'), { target: { value: ' zzz ' } });
    await actAsync(() => fireEvent.submit(screen.getByRole('search')));
    expect(fake.calls.at(-1)?.request).toEqual({ query: 'zzz', limit: 20 });
    expect(screen.getByTestId('browse-empty').textContent).toMatch(/No public party matches/);
  });

  it('an older answer arriving after a newer search is dropped', async () => {
    const answers: ((r: IpcResult<Page>) => void)[] = [];
    const fake = fakeApi({ listParties: () => new Promise((resolve) => answers.push(resolve)) });
    await openBrowse(fake.api);
    fireEvent.change(screen.getByTestId('browse-query'), { target: { value: 'new' } });
    await actAsync(() => fireEvent.submit(screen.getByRole('search')));
    await actAsync(() => answers[1]!(page([summary(2, { name: 'Newest search' })])));
    await actAsync(() => answers[0]!(page([summary(1, { name: 'Stale first load' })])));
    expect(screen.getAllByTestId('browse-party').map((r) => r.textContent)).toEqual([
      expect.stringContaining('Newest search'),
    ]);
  });

  it('takes no longer a search than the app accepts; an error is not also "nothing matches"', async () => {
    let answer: IpcResult<Page> = page([]);
    const fake = fakeApi({ listParties: () => answer });
    await openBrowse(fake.api);
    const input = screen.getByTestId<HTMLInputElement>('browse-query');
    expect(input.maxLength).toBe(MAX_LIST_QUERY);
    answer = { ok: false, error: { code: 'unreachable', message: 'No server.' } };
    fireEvent.change(input, { target: { value: 'zzz' } });
    await actAsync(() => fireEvent.submit(screen.getByRole('search')));
    expect(screen.getByTestId('browse-error').textContent).toBe('No server.');
    expect(screen.queryByTestId('browse-empty')).toBeNull();
  });

  it("shows the app's error, and Back returns home", async () => {
    const fake = fakeApi({
      listParties: () => ({ ok: false, error: { code: 'unreachable', message: 'No server.' } }),
    });
    await openBrowse(fake.api);
    expect(screen.getByTestId('browse-error').textContent).toBe('No server.');
    fireEvent.click(screen.getByTestId('browse-back'));
    expect(screen.getByTestId('create-party-button')).toBeTruthy();
  });

  it('Join opens the join dialog for that party, asking for its password up front', async () => {
    const fake = fakeApi({ listParties: () => page([summary(1, { join_policy: 'password' })]) });
    await openBrowse(fake.api);
    fireEvent.click(screen.getByTestId('browse-join'));
    expect(screen.getByTestId('invite-party-name').textContent).toBe('Public 1');
    expect(screen.getByTestId<HTMLInputElement>('join-input').value).toBe('party_public_1');
    // Focused: typing goes into the password, not onto the end of the filled-in ID.
    expect(document.activeElement).toBe(screen.getByTestId('join-password'));
  });

  it('says how many parties were found in a polite status there from the start, once per burst', async () => {
    const byQuery: Record<string, PartySummaryView[]> = {
      '': [summary(1), summary(2), summary(3)],
      a: [summary(1)],
      ab: [summary(2)],
      abc: [],
    };
    const fake = fakeApi({
      listParties: (request) => page(byQuery[(request as { query?: string }).query ?? '']!),
    });
    const view = renderWithStore(<App />, makeState(), fake.api);
    await actAsync(() => fireEvent.click(screen.getByTestId('open-browse')));
    const status = screen.getByTestId('browse-status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    const said: string[] = [];
    new MutationObserver((changes) => {
      for (const c of changes) for (const n of c.addedNodes) said.push(n.textContent ?? '');
    }).observe(status, { childList: true, subtree: true });
    await waitFor(() => expect(said).toEqual(['3 parties found']), { timeout: 2000 });
    // Three searches a moment apart, each answered at once: only the last answer is said.
    for (const query of ['a', 'ab', 'abc']) {
      fireEvent.change(screen.getByTestId('browse-query'), { target: { value: query } });
      await actAsync(() => fireEvent.submit(screen.getByRole('search')));
      await act(() => new Promise((resolve) => setTimeout(resolve, BROWSE_SETTLE_MS / 4)));
    }
    await act(() => new Promise((resolve) => setTimeout(resolve, BROWSE_SETTLE_MS * 2)));
    expect(said).toEqual(['3 parties found', 'No party found']);
    // The region was not replaced: the same node holds the newest line.
    expect(screen.getByTestId('browse-status')).toBe(status);
    view.unmount();
  });
});
