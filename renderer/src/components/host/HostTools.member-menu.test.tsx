// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { makeParty, makeState } from '../../test-util/fixtures';
import { hostView, ok } from '../../test-util/host-view';
import { actAsync, renderWithStore } from '../../test-util/render';
import { App } from '../App';

afterEach(cleanup);

function row(name: string): HTMLElement {
  return screen.getAllByTestId('peer-row').find((r) => r.textContent?.includes(name))!;
}

describe('member menu (host)', () => {
  it('is on every other member, not on my row nor for a guest', () => {
    hostView();
    expect(screen.getAllByTestId('member-menu')).toHaveLength(2);
    expect(within(row('Alice')).queryByTestId('member-menu')).toBeNull();
    cleanup();
    renderWithStore(<App />, makeState({ party: makeParty('bob', ['alice']) }));
    expect(screen.queryByTestId('member-menu')).toBeNull();
    expect(screen.queryByTestId('open-party-settings')).toBeNull();
  });

  it('opens as a disclosure; Kick sends kick_peer without a ban; Esc closes and keeps focus', async () => {
    const { fake } = hostView({ kickPeer: () => ok(null) });
    const toggle = within(row('Bob')).getByTestId('member-menu');
    expect(toggle.getAttribute('aria-label')).toBe('Actions for Bob');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    fireEvent.keyDown(within(row('Bob')).getByTestId('kick-member'), { key: 'Escape' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(toggle);
    fireEvent.click(toggle);
    await actAsync(() => fireEvent.click(within(row('Bob')).getByTestId('kick-member')));
    expect(fake.calls.filter((c) => c.channel === 'kickPeer').map((c) => c.request)).toEqual([
      { peer_id: 'bob', ban: false },
    ]);
    // The row (and the menu with it) goes: focus waits on the members' title, not <body>.
    expect(document.activeElement?.id).toBe('members-title');
  });

  it('closes when focus leaves it (Tab past Ban…), not when it moves inside; Esc from anywhere', () => {
    hostView();
    const toggle = within(row('Bob')).getByTestId('member-menu');
    fireEvent.click(toggle);
    const kick = within(row('Bob')).getByTestId('kick-member');
    const ban = within(row('Bob')).getByTestId('ban-member');
    fireEvent.focusOut(kick, { relatedTarget: ban });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    // Left open, it covered Cid's ⋯ and Join voice, which took focus unseen beneath it.
    const next = within(row('Cid')).getByTestId('member-menu');
    fireEvent.focusOut(ban, { relatedTarget: next });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(within(row('Bob')).getByTestId('kick-member').closest('[hidden]')).not.toBeNull();
    fireEvent.click(toggle);
    next.focus();
    fireEvent.keyDown(next, { key: 'Escape' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    // Focus was elsewhere: Esc does not pull it back to the toggle.
    expect(document.activeElement).toBe(next);
  });

  it('Ban asks first; confirming bans, cancelling sends nothing', async () => {
    const { fake } = hostView({ kickPeer: () => ok(null) });
    fireEvent.click(within(row('Cid')).getByTestId('member-menu'));
    fireEvent.click(within(row('Cid')).getByTestId('ban-member'));
    expect(screen.getByTestId('ban-dialog').textContent).toContain('Ban Cid?');
    // A ban holds an identity, not a person: the dialog does not promise more.
    expect(screen.getByTestId('ban-dialog').textContent).toContain('their LANrage identity cannot');
    expect(screen.getByTestId('ban-limit').textContent).toMatch(/resets LANrage .* new player/);
    fireEvent.click(within(screen.getByTestId('ban-dialog')).getByText('Cancel'));
    expect(screen.queryByTestId('ban-dialog')).toBeNull();
    expect(fake.calls.filter((c) => c.channel === 'kickPeer')).toEqual([]);
    fireEvent.click(within(row('Cid')).getByTestId('member-menu'));
    fireEvent.click(within(row('Cid')).getByTestId('ban-member'));
    await actAsync(() => fireEvent.click(screen.getByTestId('ban-confirm')));
    expect(fake.calls.filter((c) => c.channel === 'kickPeer').map((c) => c.request)).toEqual([
      { peer_id: 'cid', ban: true },
    ]);
    expect(screen.queryByTestId('ban-dialog')).toBeNull();
  });

  it('a ban puts focus on the members title, whether the row or the answer goes first', async () => {
    // The server tells members before it answers: Cid's row may go while the dialog is open.
    let rowGoes = () => {};
    const { store } = hostView({
      kickPeer: () => {
        rowGoes();
        return ok(null);
      },
    });
    const withoutCid = () =>
      store.getState().applyEvent({ type: 'party', party: makeParty('alice', ['bob']) });
    rowGoes = withoutCid;
    fireEvent.click(within(row('Cid')).getByTestId('member-menu'));
    fireEvent.click(within(row('Cid')).getByTestId('ban-member'));
    await actAsync(() => fireEvent.click(screen.getByTestId('ban-confirm')));
    expect(screen.queryByTestId('ban-dialog')).toBeNull();
    expect(document.activeElement?.id).toBe('members-title');
    // The answer first: focus is back on Bob's ⋯, then his row goes with it.
    rowGoes = () => {};
    fireEvent.click(within(row('Bob')).getByTestId('member-menu'));
    fireEvent.click(within(row('Bob')).getByTestId('ban-member'));
    await actAsync(() => fireEvent.click(screen.getByTestId('ban-confirm')));
    expect(document.activeElement).toBe(within(row('Bob')).getByTestId('member-menu'));
    await actAsync(() => store.getState().applyEvent({ type: 'party', party: makeParty('alice') }));
    expect(document.activeElement?.id).toBe('members-title');
  });

  it('Make host: the menus go as the party is handed over, and focus waits on the members title', async () => {
    let handOver = () => {};
    const { store, fake } = hostView({
      transferHost: () => {
        handOver();
        return ok(null);
      },
    });
    handOver = () =>
      store.getState().applyEvent({ type: 'party', party: makeParty('bob', ['alice', 'cid']) });
    const toggle = within(row('Bob')).getByTestId('member-menu');
    toggle.focus();
    fireEvent.click(toggle);
    await actAsync(() => fireEvent.click(within(row('Bob')).getByTestId('make-host')));
    expect(fake.calls.filter((c) => c.channel === 'transferHost').map((c) => c.request)).toEqual([
      { peer_id: 'bob' },
    ]);
    expect(screen.queryByTestId('member-menu')).toBeNull();
    expect(document.activeElement?.id).toBe('members-title');
  });

  it('Make host sends transfer_host; a refusal is shown above the list', async () => {
    const message = 'Only the host can do that.';
    hostView({ transferHost: () => ({ ok: false, error: { code: 'forbidden', message } }) });
    fireEvent.click(within(row('Bob')).getByTestId('member-menu'));
    await actAsync(() => fireEvent.click(within(row('Bob')).getByTestId('make-host')));
    expect(screen.getByTestId('member-error').textContent).toBe(message);
  });
});
