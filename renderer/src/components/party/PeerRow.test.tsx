// @vitest-environment happy-dom
import { act, cleanup, screen } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../../../shared/status';
import { clockStore } from '../../store/clock';
import { iso, makeParty, makePeer, makeState, makeStatus, T0 } from '../../test-util/fixtures';
import { renderWithStore } from '../../test-util/render';
import { PeerList } from './PeerList';
import { PeerRow } from './PeerRow';

afterEach(cleanup);

const partyState = () => makeState({ party: makeParty('bob', ['alice', 'carol']) });
const row = (id: string) =>
  document.querySelector(`[data-testid="peer-row"][data-peer-id="${id}"]`)!;

type Store = ReturnType<typeof renderWithStore>['store'];

/** The clock reads `now`, and the server answered my last heartbeat just then. */
function answeredAt(store: Store, now: number, status: Partial<ConnectionStatus> = {}) {
  act(() => clockStore.setState({ now }));
  const answered = makeStatus({ lastHeartbeatAt: now, ...status });
  act(() => store.getState().applyEvent({ type: 'status', status: answered }));
}

/** The party at `now`, where the server said Carol has been offline since T0. */
function carolOfflineSinceT0(now: number, rttMs: number | null) {
  const { store } = renderWithStore(<PeerList />, partyState());
  answeredAt(store, now);
  act(() =>
    store.getState().applyEvent({
      type: 'presence',
      party_id: 'party_abc123',
      peer_id: 'carol',
      presence: { status: 'offline', last_seen: iso(T0), rtt_ms: rttMs },
    }),
  );
  return store;
}

describe('PeerRow', () => {
  it('shows name, NAT type, endpoint and the host and "you" badges on the right rows', () => {
    act(() => clockStore.setState({ now: T0 + 12_000 }));
    renderWithStore(<PeerList />, partyState());
    const rows = screen.getAllByTestId('peer-row');
    expect(rows.map((r) => r.getAttribute('data-peer-id'))).toEqual(['bob', 'alice', 'carol']);
    expect(row('bob').querySelector('[data-testid="host-badge"]')).not.toBeNull();
    expect(row('alice').querySelector('[data-testid="host-badge"]')).toBeNull();
    expect(row('alice').querySelector('[data-testid="me-badge"]')?.textContent).toBe('You');
    expect(row('bob').querySelector('[data-testid="me-badge"]')).toBeNull();
    expect(row('carol').querySelector('[data-testid="peer-name"]')?.textContent).toBe('Carol');
    expect(row('carol').textContent).toContain('full cone');
    expect(row('carol').textContent).toContain('203.0.113.42:51820');
    // Online: "now", not the time of its last status change.
    expect(row('carol').querySelector('[data-testid="peer-last-seen"]')?.textContent).toBe('now');
  });

  it("a member's name is no Tab stop: the row's only stops are its controls", () => {
    renderWithStore(<PeerList />, makeState({ party: makeParty('alice', ['bob', 'carol']) }));
    for (const name of screen.getAllByTestId('peer-name')) {
      expect(name.hasAttribute('tabindex')).toBe(false);
      // Cut to two lines by CSS (names.css): whole in the page and on hover.
      expect(name.getAttribute('title')).toBe(name.textContent);
      expect(name.classList.contains('name-clamp')).toBe(true);
    }
    // Nothing measured cut here: the table is no Tab stop either.
    expect(screen.getByTestId('peer-table').hasAttribute('tabindex')).toBe(false);
    // As host, each other member's row has one stop: its menu ("Actions for Bob"), shut.
    const stops = screen
      .getAllByTestId('peer-row')
      .flatMap((r) => [...r.querySelectorAll('button, [tabindex]:not([tabindex="-1"])')])
      .filter((el) => el.closest('[hidden]') === null);
    expect(stops.map((el) => el.getAttribute('aria-label') ?? el.textContent)).toEqual([
      'Actions for Bob',
      'Actions for Carol',
    ]);
  });

  it('"last seen" of an offline member ticks with the clock; back online it reads "now"', () => {
    const { store } = renderWithStore(<PeerList />, partyState());
    answeredAt(store, T0 + 61_000);
    const seen = () => row('carol').querySelector('[data-testid="peer-last-seen"]')?.textContent;
    expect(row('carol').getAttribute('data-presence')).toBe('offline');
    expect(seen()).toBe('1 min ago');
    answeredAt(store, T0 + 125_000);
    expect(seen()).toBe('2 min ago');
    act(() =>
      store.getState().applyEvent({
        type: 'peer',
        party_id: 'party_abc123',
        peer: makePeer('carol', { last_seen: iso(T0 + 124_000) }),
      }),
    );
    expect(row('carol').getAttribute('data-presence')).toBe('online');
    expect(seen()).toBe('now');
  });

  it('without presence from the server (1.0), a member is offline after two heartbeat intervals', () => {
    const { store } = renderWithStore(<PeerList />, partyState());
    answeredAt(store, T0 + 59_000);
    expect(row('carol').getAttribute('data-presence')).toBe('online');
    answeredAt(store, T0 + 61_000);
    expect(row('carol').getAttribute('data-presence')).toBe('offline');
    expect(row('carol').textContent).toContain('offline for 1 min, removed in 3 min');
    act(() =>
      store.getState().applyEvent({
        type: 'peer',
        party_id: 'party_abc123',
        peer: makePeer('carol', { last_seen: iso(T0 + 60_000) }),
      }),
    );
    expect(row('carol').getAttribute('data-presence')).toBe('online');
  });

  it("counts down to the server's own peer timeout, which follows the link", () => {
    const store = carolOfflineSinceT0(T0 + 16_000, null);
    act(() =>
      store.getState().applyEvent({
        type: 'status',
        status: makeStatus({ peerTimeoutMs: 20_000, lastHeartbeatAt: T0 + 16_000 }),
      }),
    );
    expect(row('carol').textContent).toContain('offline for 16 s, removed in 4 s');
    act(() =>
      store.getState().applyEvent({
        type: 'status',
        status: makeStatus({ peerTimeoutMs: 60_000, lastHeartbeatAt: T0 + 16_000 }),
      }),
    );
    expect(row('carol').textContent).toContain('offline for 16 s, removed in 44 s');
  });

  it("reads the server's dates on its clock: this PC 10 min ahead still says 16 s", () => {
    // This PC's clock is 10 min ahead of the server's; the server dated Carol's last beat.
    const ahead = 10 * 60_000;
    const store = carolOfflineSinceT0(T0 + ahead + 16_000, null);
    act(() =>
      store.getState().applyEvent({
        type: 'status',
        status: makeStatus({
          peerTimeoutMs: 60_000,
          serverClockOffsetMs: -ahead,
          lastHeartbeatAt: T0 + ahead + 16_000,
        }),
      }),
    );
    expect(row('carol').textContent).toContain('offline for 16 s, removed in 44 s');
    expect(row('carol').querySelector('[data-testid="peer-last-seen"]')?.textContent).toBe(
      '16 s ago',
    );
  });

  it('"offline for" and "last seen … ago" count the same seconds on one row', () => {
    carolOfflineSinceT0(T0 + 3_600, null);
    const seen = row('carol').querySelector('[data-testid="peer-last-seen"]')?.textContent;
    expect(seen).toBe('3 s ago');
    expect(row('carol').textContent).toContain('offline for 3 s,');
  });

  it("follows the server's presence: offline with a mark and the time to removal, online with its ping", () => {
    const store = carolOfflineSinceT0(T0 + 120_000, 30);
    expect(row('carol').getAttribute('data-presence')).toBe('offline');
    expect(row('carol').querySelector('.presence-mark')?.textContent).toBe('○');
    expect(row('carol').textContent).toContain('offline for 2 min, removed in 3 min');
    expect(row('carol').querySelector('[data-testid="peer-ping"]')).toBeNull();
    act(() =>
      store.getState().applyEvent({
        type: 'presence',
        party_id: 'party_abc123',
        peer_id: 'carol',
        presence: { status: 'online', last_seen: iso(T0 + 119_000), rtt_ms: 23.4 },
      }),
    );
    expect(row('carol').getAttribute('data-presence')).toBe('online');
    expect(row('carol').querySelector('.presence-mark')?.textContent).toBe('●');
    expect(row('carol').querySelector('[data-testid="peer-ping"]')?.textContent).toContain('23 ms');
  });

  it('a member whose PC said it went to sleep (1.12) reads asleep, with the time to removal', () => {
    const store = carolOfflineSinceT0(T0 + 120_000, 30);
    act(() =>
      store.getState().applyEvent({
        type: 'presence',
        party_id: 'party_abc123',
        peer_id: 'carol',
        presence: { status: 'asleep', last_seen: iso(T0), rtt_ms: 30 },
      }),
    );
    expect(row('carol').getAttribute('data-presence')).toBe('asleep');
    expect(row('carol').querySelector('.presence-mark')?.textContent).toBe('☾');
    expect(row('carol').textContent).toContain('asleep for 2 min, removed in 3 min');
    expect(row('carol').querySelector('[data-testid="peer-ping"]')).toBeNull();
  });

  it('linked, but my heartbeats unanswered for two intervals: nobody is shown online', () => {
    const { store } = renderWithStore(<PeerList />, partyState());
    answeredAt(store, T0 + 1000);
    act(() =>
      store.getState().applyEvent({
        type: 'presence',
        party_id: 'party_abc123',
        peer_id: 'carol',
        presence: { status: 'online', last_seen: iso(T0), rtt_ms: 20 },
      }),
    );
    expect(row('carol').getAttribute('data-presence')).toBe('online');
    // My network drops without closing the link: the server's last word ages.
    act(() => clockStore.setState({ now: T0 + 1000 + 61_000 }));
    for (const id of ['alice', 'bob', 'carol']) {
      expect(row(id).getAttribute('data-presence')).toBe('unknown');
    }
    expect(row('carol').querySelector('[data-testid="peer-last-seen"]')?.textContent).toBe(
      '1 min ago',
    );
    answeredAt(store, T0 + 63_000);
    expect(row('carol').getAttribute('data-presence')).toBe('online');
  });

  it('while this app is reconnecting nobody is shown online, me included', () => {
    act(() => clockStore.setState({ now: T0 + 1000 }));
    const { store } = renderWithStore(<PeerList />, partyState());
    expect(row('carol').getAttribute('data-presence')).toBe('online');
    act(() =>
      store.getState().applyEvent({
        type: 'status',
        status: makeStatus({ state: 'reconnecting', reconnectAttempt: 1 }),
      }),
    );
    for (const id of ['alice', 'bob', 'carol']) {
      expect(row(id).getAttribute('data-presence')).toBe('unknown');
      expect(row(id).textContent).toContain('status unknown');
    }
  });

  it('status unknown: "last seen" is when the server last answered, not the last change', () => {
    act(() => clockStore.setState({ now: T0 + 120_000 }));
    const { store } = renderWithStore(<PeerList />, partyState());
    // Carol came online at T0 and stayed; Alice (me) heartbeated until T0 + 115 s.
    act(() =>
      store.getState().applyEvent({
        type: 'presence',
        party_id: 'party_abc123',
        peer_id: 'carol',
        presence: { status: 'online', last_seen: iso(T0), rtt_ms: 20 },
      }),
    );
    const lost = makeStatus({ state: 'reconnecting', lastHeartbeatAt: T0 + 115_000 });
    act(() => store.getState().applyEvent({ type: 'status', status: lost }));
    const seen = (id: string) =>
      row(id).querySelector('[data-testid="peer-last-seen"]')?.textContent;
    expect(row('carol').getAttribute('data-presence')).toBe('unknown');
    expect(seen('carol')).toBe('5 s ago');
    expect(seen('alice')).toBe('5 s ago');
  });

  it('hosting, cut off from the LAN: nobody is shown online, last seen when their links were heard', () => {
    act(() => clockStore.setState({ now: T0 + 60_000 }));
    const { store } = renderWithStore(<PeerList />, partyState());
    act(() =>
      store.getState().applyEvent({
        type: 'presence',
        party_id: 'party_abc123',
        peer_id: 'carol',
        presence: { status: 'online', last_seen: iso(T0), rtt_ms: 3 },
      }),
    );
    // Its own server, on loopback, answered my heartbeat just now, and still calls Carol
    // online: her link was last heard 35 s ago.
    const cutOff = makeStatus({
      state: 'local',
      serverUrl: null,
      lastHeartbeatAt: T0 + 59_000,
      lanCutOff: { reason: 'no_network', heardAt: T0 + 25_000 },
    });
    act(() => store.getState().applyEvent({ type: 'status', status: cutOff }));
    expect(row('carol').getAttribute('data-presence')).toBe('unknown');
    expect(row('carol').textContent).toContain('status unknown');
    expect(row('carol').querySelector('[data-testid="peer-last-seen"]')?.textContent).toBe(
      '35 s ago',
    );
  });

  it('while the LAN host of the party is away (asleep?), nobody is shown online', () => {
    act(() => clockStore.setState({ now: T0 + 1000 }));
    const { store } = renderWithStore(<PeerList />, partyState());
    const away = makeStatus({ state: 'local', serverUrl: null, hostAway: true });
    act(() => store.getState().applyEvent({ type: 'status', status: away }));
    for (const id of ['alice', 'bob', 'carol']) {
      expect(row(id).getAttribute('data-presence')).toBe('unknown');
    }
  });

  it('while the server does not answer, nobody is shown online', () => {
    act(() => clockStore.setState({ now: T0 + 1000 }));
    const { store } = renderWithStore(<PeerList />, partyState());
    const quiet = makeStatus({ state: 'connected', serverQuiet: true, lastHeartbeatAt: T0 + 500 });
    act(() => store.getState().applyEvent({ type: 'status', status: quiet }));
    for (const id of ['alice', 'bob', 'carol']) {
      expect(row(id).getAttribute('data-presence')).toBe('unknown');
    }
  });

  it('offline from the server but serving the party itself: its own server’s presence shows', () => {
    act(() => clockStore.setState({ now: T0 + 1000 }));
    const { store } = renderWithStore(<PeerList />, partyState());
    const offline = { state: 'offline' as const, lastHeartbeatAt: T0 + 500 };
    act(() => store.getState().applyEvent({ type: 'status', status: makeStatus(offline) }));
    expect(row('carol').getAttribute('data-presence')).toBe('unknown');
    const serving = makeStatus({ ...offline, localServer: { port: 8668, lan: true } });
    act(() => store.getState().applyEvent({ type: 'status', status: serving }));
    expect(row('carol').getAttribute('data-presence')).toBe('online');
    expect(row('alice').getAttribute('data-presence')).toBe('online');
  });

  it('updating peer A re-renders A only, not B (narrow selectors, memoised rows)', () => {
    act(() => clockStore.setState({ now: T0 + 1000 }));
    const renders: Record<string, number> = {};
    const count = (id: string) => (renders[id] = (renders[id] ?? 0) + 1);
    const { store } = renderWithStore(
      <table>
        <tbody>
          {['alice', 'bob', 'carol'].map((id) => (
            <Profiler key={id} id={id} onRender={() => count(id)}>
              <PeerRow peerId={id} />
            </Profiler>
          ))}
        </tbody>
      </table>,
      partyState(),
    );
    const before = { ...renders };
    for (let i = 1; i <= 5; i++) {
      act(() =>
        store.getState().applyEvent({
          type: 'peer',
          party_id: 'party_abc123',
          peer: makePeer('carol', { last_seen: iso(T0 + i * 1000) }),
        }),
      );
    }
    act(() =>
      store.getState().applyEvent({ type: 'party', party: makeParty('bob', ['alice', 'carol']) }),
    );
    act(() => clockStore.setState({ now: T0 + 2000 }));
    expect(renders.carol! - before.carol!).toBe(6);
    expect(renders.alice).toBe(before.alice);
    expect(renders.bob).toBe(before.bob);
  });

  it('a peer that leaves disappears from the list', () => {
    const { store } = renderWithStore(<PeerList />, partyState());
    act(() =>
      store
        .getState()
        .applyEvent({ type: 'peer_removed', party_id: 'party_abc123', peer_id: 'carol' }),
    );
    expect(screen.getAllByTestId('peer-row').map((r) => r.getAttribute('data-peer-id'))).toEqual([
      'bob',
      'alice',
    ]);
  });
});
