// @vitest-environment happy-dom
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { clockStore } from '../store/clock';
import { makeParty, makeState, makeStatus, T0 } from '../test-util/fixtures';
import { renderWithStore } from '../test-util/render';
import { PeerList } from './party/PeerList';
import { StatusBar } from './StatusBar';

afterEach(cleanup);

/** The status bar over Alice's party with Bob, both rows shown. */
function barAndMembers() {
  clockStore.setState({ now: T0 });
  const party = makeParty('alice', ['bob']);
  const { store } = renderWithStore(
    <>
      <StatusBar />
      <PeerList />
    </>,
    makeState({ party }),
  );
  return { store, party };
}

describe('StatusBar', () => {
  const cases = [
    [
      makeStatus({ state: 'local', serverUrl: null }),
      'No server: only players on this PC can join',
    ],
    [makeStatus({ state: 'connecting' }), 'Connecting to 127.0.0.1:9000…'],
    [makeStatus({ state: 'connected' }), 'Connected to 127.0.0.1:9000'],
    [
      makeStatus({ state: 'reconnecting', reconnectAttempt: 3 }),
      "Can't reach 127.0.0.1:9000, retrying every 5\u00a0s",
    ],
    [
      makeStatus({ state: 'offline' }),
      "Offline: can't reach 127.0.0.1:9000, retrying every 5\u00a0s",
    ],
    [
      makeStatus({ state: 'local', serverUrl: null, hostAway: true }),
      "Waiting for the party's host to answer: the party ends if it is not back within 1\u00a0min",
    ],
    [
      makeStatus({ state: 'offline', hostAway: true, hostAsleep: true }),
      "Waiting for the party's host to wake: its PC went to sleep",
    ],
    [
      makeStatus({ state: 'local', serverUrl: null, hostAway: true, noNetwork: true }),
      "This PC has lost its network: waiting for it to reach the party's host again",
    ],
    [
      makeStatus({ state: 'connected', serverQuiet: true }),
      '127.0.0.1:9000 is not answering: checking the connection…',
    ],
  ] as const;

  for (const [status, text] of cases) {
    it(`shows "${text}" with data-state=${status.state}`, () => {
      // In a party: a quiet host is told only while it hosts mine (status-text.test.ts).
      renderWithStore(<StatusBar />, makeState({ status, party: makeParty('bob', ['alice']) }));
      const bar = screen.getByTestId('status-bar');
      expect(bar.getAttribute('data-state')).toBe(status.state);
      expect(bar.textContent).toContain(text);
    });
  }

  it('says where this app listens while it hosts without a server, and nothing otherwise', () => {
    const lan = makeStatus({
      state: 'local',
      serverUrl: null,
      localServer: { port: 8668, lan: true },
    });
    renderWithStore(<StatusBar />, makeState({ status: lan }));
    expect(screen.getByTestId('status-listening').textContent).toBe(
      'Listening on the LAN on port 8668',
    );
    cleanup();
    const here = makeStatus({ state: 'offline', localServer: { port: 40123, lan: false } });
    renderWithStore(<StatusBar />, makeState({ status: here }));
    expect(screen.getByTestId('status-listening').textContent).toBe(
      'Hosting for this PC only, on port 40123',
    );
    cleanup();
    renderWithStore(<StatusBar />, makeState({ status: makeStatus({ state: 'connected' }) }));
    expect(screen.queryByTestId('status-listening')).toBeNull();
  });

  it("says the party's place only while in it or waiting to be let in: a host's link outlives it", () => {
    const linked = makeStatus({ state: 'local', serverUrl: null, hostAddress: '127.0.0.1' });
    const party = makeParty('bob', ['alice']);
    const { store } = renderWithStore(<StatusBar />, makeState({ status: linked, party }));
    const text = () => screen.getByTestId('status-text').textContent;
    expect(text()).toBe('No server: in a party hosted on this PC');
    // Removed (or left): the link to Bob's app stays up, but Alice is in no party.
    act(() => store.setState({ party: null }));
    expect(text()).toBe('No server: only players on this PC can join');
    const pendingJoin = { party_id: party.party_id, party_name: 'Bob’s', expires_at: '' };
    act(() => store.setState({ pendingJoin }));
    expect(text()).toBe('No server: waiting to be let into a party hosted on this PC');
  });

  it('says why it still listens after handing a party over: it serves it until LANrage quits', () => {
    const serving = (servedFor: { party: string; host: string }[], lan = true) =>
      makeStatus({ state: 'local', serverUrl: null, localServer: { port: 8668, lan, servedFor } });
    renderWithStore(
      <StatusBar />,
      makeState({ status: serving([{ party: 'Kick', host: 'Carol' }]) }),
    );
    const listening = () => screen.getByTestId('status-listening');
    expect(listening().textContent).toBe(
      'Still serving Kick for Carol: listening on the LAN on port 8668',
    );
    expect(listening().getAttribute('title')).toMatch(/until you quit LANrage: quitting ends it/);
    cleanup();
    const two = serving(
      [
        { party: 'A', host: 'Bob' },
        { party: 'B', host: 'Cid' },
      ],
      false,
    );
    renderWithStore(<StatusBar />, makeState({ status: two }));
    expect(listening().textContent).toBe(
      'Still serving 2 parties handed over: hosting for this PC only, on port 8668',
    );
    cleanup();
    renderWithStore(<StatusBar />, makeState({ status: serving([]) }));
    expect(listening().textContent).toBe('Listening on the LAN on port 8668');
    expect(listening().getAttribute('title')).toMatch(/^Parties you host are served/);
  });

  it('says when the link to the LAN host fell back to its plain port, and nothing otherwise', () => {
    const plain = makeStatus({ state: 'local', serverUrl: null, plainLink: true });
    const { store } = renderWithStore(<StatusBar />, makeState({ status: plain }));
    const note = screen.getByTestId('status-plain-link');
    expect(note.textContent).toBe(
      "Not encrypted: the host's PC did not answer on its encrypted port",
    );
    expect(note.getAttribute('title')).toMatch(
      /firewall on both of its ports \(8668 and 8669 unless changed\)/,
    );
    act(() => store.setState({ status: { ...plain, plainLink: false } }));
    expect(screen.queryByTestId('status-plain-link')).toBeNull();
  });

  it('without the app it claims nothing: no "Connected", no one online; the snapshot after restores it', () => {
    const { store, party } = barAndMembers();
    expect(screen.getByTestId('status-text').textContent).toBe('Connected to 127.0.0.1:9000');
    act(() => store.getState().setBridge('down'));
    expect(screen.getByTestId('status-text').textContent).toBe(
      'Lost contact with the LANrage app, retrying…',
    );
    const states = () => screen.getAllByTestId('peer-state').map((s) => s.textContent);
    expect(states().every((s) => s === 'status unknown')).toBe(true);
    act(() => store.getState().setBridge('stale'));
    expect(screen.getByTestId('status-text').textContent).toBe(
      'This page is not from this LANrage launch (an old tab, or a link without its token): open the link LANrage printed when it started.',
    );
    act(() => {
      store.getState().setBridge('up');
      store.getState().applyEvent({ type: 'snapshot', state: makeState({ party }) });
    });
    expect(screen.getByTestId('status-text').textContent).toBe('Connected to 127.0.0.1:9000');
  });

  it('over an app that stopped answering it claims nothing either; a dropped bridge is said first', () => {
    const { store, party } = barAndMembers();
    const text = () => screen.getByTestId('status-text').textContent;
    act(() => store.getState().setAppAnswering(false));
    expect(text()).toBe('The LANrage app is not responding: waiting for it…');
    const states = () => screen.getAllByTestId('peer-state').map((s) => s.textContent);
    expect(states().every((s) => s === 'status unknown')).toBe(true);
    expect(screen.getByRole('img').getAttribute('data-health')).toBe('offline');
    act(() => store.getState().setBridge('down'));
    expect(text()).toBe('Lost contact with the LANrage app, retrying…');
    act(() => {
      store.getState().setBridge('up');
      store.getState().setAppAnswering(true);
      store.getState().applyEvent({ type: 'snapshot', state: makeState({ party }) });
    });
    expect(text()).toBe('Connected to 127.0.0.1:9000');
  });

  it('follows status events without a reload', () => {
    const { store } = renderWithStore(<StatusBar />);
    act(() =>
      store.getState().applyEvent({
        type: 'status',
        status: makeStatus({ state: 'reconnecting', reconnectAttempt: 1 }),
      }),
    );
    expect(screen.getByTestId('status-bar').getAttribute('data-state')).toBe('reconnecting');
    expect(screen.getByTestId('status-bar').textContent).toContain("Can't reach");
  });

  it('heartbeat dot: idle outside a party, healthy within two intervals, late after', () => {
    clockStore.setState({ now: T0 + 10_000 });
    const { store, container } = renderWithStore(<StatusBar />);
    const dot = () => container.querySelector('.heartbeat-dot')!;
    expect(dot().getAttribute('data-health')).toBe('idle');
    act(() => store.getState().applyEvent({ type: 'party', party: makeParty('alice') }));
    expect(dot().getAttribute('data-health')).toBe('healthy');
    expect(dot().getAttribute('title')).toContain('last heartbeat 10 s ago, round trip 12 ms');
    act(() => clockStore.setState({ now: T0 + 61_000 }));
    expect(dot().getAttribute('data-health')).toBe('late');
  });
});

describe('heartbeat dot in local mode', () => {
  it("counts my own row's last_seen as a confirmed heartbeat when nothing was acknowledged", () => {
    act(() => clockStore.setState({ now: T0 + 5000 }));
    const { container } = renderWithStore(
      <StatusBar />,
      makeState({
        status: makeStatus({
          state: 'local',
          serverUrl: null,
          lastHeartbeatAt: null,
          lastHeartbeatRttMs: null,
        }),
        party: makeParty('alice'),
      }),
    );
    const dot = container.querySelector('.heartbeat-dot')!;
    expect(dot.getAttribute('data-health')).toBe('healthy');
    expect(dot.getAttribute('title')).toBe('Heartbeat healthy, last heartbeat 5 s ago');
  });

  it('is late while the server does not answer, however fresh the last beat', () => {
    act(() => clockStore.setState({ now: T0 + 1000 }));
    const quiet = makeStatus({ state: 'connected', serverQuiet: true });
    const { container } = renderWithStore(
      <StatusBar />,
      makeState({ status: quiet, party: makeParty('alice') }),
    );
    expect(container.querySelector('.heartbeat-dot')!.getAttribute('data-health')).toBe('late');
  });

  it('is late while the party’s LAN host is away, however fresh the last beat', () => {
    act(() => clockStore.setState({ now: T0 + 1000 }));
    const away = makeStatus({ state: 'local', serverUrl: null, hostAway: true });
    const { container } = renderWithStore(
      <StatusBar />,
      makeState({ status: away, party: makeParty('alice') }),
    );
    expect(container.querySelector('.heartbeat-dot')!.getAttribute('data-health')).toBe('late');
  });
});
