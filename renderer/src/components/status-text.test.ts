import { describe, expect, it } from 'vitest';
import { makeStatus, T0 } from '../test-util/fixtures';
import { createReachHint, discoverySource, inviteHint } from './status-text';
import { serverName } from '../../../shared/values/server-url';
import { listeningText, statusText } from '../../../shared/status-words';
import { canSeeOthers, heartbeatHealth } from '../../../shared/status';

describe('statusText: plain words', () => {
  it('names the server by host and port', () => {
    expect(serverName('ws://127.0.0.1:9000/ws')).toBe('127.0.0.1:9000');
    expect(serverName('wss://lan.example.org/ws')).toBe('lan.example.org');
    expect(serverName(null)).toBe('the server');
  });

  it.each([
    [makeStatus({ state: 'connected' }), 'Connected to 127.0.0.1:9000'],
    [makeStatus({ state: 'connecting' }), 'Connecting to 127.0.0.1:9000…'],
    [
      makeStatus({ state: 'reconnecting', reconnectAttempt: 2, retryDelayMs: 5000 }),
      "Can't reach 127.0.0.1:9000, retrying every 5\u00a0s",
    ],
    [
      makeStatus({ state: 'offline' }),
      "Offline: can't reach 127.0.0.1:9000, retrying every 5\u00a0s",
    ],
    [
      makeStatus({ state: 'reconnecting', everConnected: false }),
      'Never connected to 127.0.0.1:9000: check the address in Settings',
    ],
    [
      makeStatus({ state: 'offline', everConnected: false }),
      'Never connected to 127.0.0.1:9000: check the address in Settings',
    ],
    [
      makeStatus({ state: 'local', serverUrl: null, retryDelayMs: null }),
      'No server: only players on this PC can join',
    ],
  ] as const)('%o → %s', (status, text) => {
    expect(statusText(status, 'none')).toBe(text);
  });

  it('says the local network can join when the app hosts on the LAN (lan_listen)', () => {
    const lan = { lanListen: true, retryDelayMs: null } as const;
    expect(statusText(makeStatus({ ...lan, state: 'local', serverUrl: null }), 'none')).toBe(
      'No server: only players on your local network can join',
    );
    // Offline, it names the server out of reach: who can join is said beside (below).
    const offline = makeStatus({ ...lan, state: 'offline', retryDelayMs: 30_000 });
    expect(statusText(offline, 'none')).toBe(
      "Offline: can't reach 127.0.0.1:9000, retrying every 30\u00a0s",
    );
    expect(inviteHint(makeStatus({ ...lan, state: 'local', serverUrl: null }))).toMatch(
      /^No server is set, so only players on your local network can join\./,
    );
    expect(inviteHint(makeStatus({ ...lan, state: 'offline' }))).toMatch(
      /only players on your local network can join for now/,
    );
  });

  it("a guest without a server is told where its party is hosted, not who could join this app's", () => {
    const guest = (hostAddress: string) =>
      statusText(
        makeStatus({ state: 'local', serverUrl: null, lanListen: true, hostAddress }),
        'member',
      );
    expect(guest('10.0.0.5')).toBe('No server: in a party hosted at 10.0.0.5 on your network');
    expect(guest('127.0.0.1')).toBe('No server: in a party hosted on this PC');
    expect(guest('[::1]')).toBe('No server: in a party hosted on this PC');
  });

  it("out of the party (left, removed, refused), a host's link still up says nothing of it", () => {
    // The link to the host outlives the party: the review saw "in a party" after a kick.
    const linked = makeStatus({ state: 'local', serverUrl: null, hostAddress: '127.0.0.1' });
    expect(statusText(linked, 'none')).toBe('No server: only players on this PC can join');
    const onLan = { ...linked, lanListen: true, hostAddress: '10.0.0.5' };
    expect(statusText(onLan, 'none')).toBe(
      'No server: only players on your local network can join',
    );
  });

  it('a quiet host is waited for only while it hosts my party (or my join)', () => {
    const quiet = makeStatus({ state: 'local', serverUrl: null, hostAddress: '10.0.0.5' });
    const away = { ...quiet, hostAway: true };
    const silent =
      "Waiting for the party's host to answer: the party ends if it is not back within 1\u00a0min";
    expect(statusText(away, 'member')).toBe(silent);
    expect(statusText(away, 'waiting')).toBe(silent);
    // Its PC said it was going to sleep (1.12): waited for, and said so.
    expect(statusText({ ...away, hostAsleep: true }, 'member')).toBe(
      "Waiting for the party's host to wake: its PC went to sleep",
    );
    // The wait is one heartbeat-health period of the server's interval.
    expect(statusText({ ...away, heartbeatIntervalMs: 1500 }, 'member')).toMatch(
      /within 3\u00a0s$/,
    );
    expect(statusText(away, 'none')).toBe('No server: only players on this PC can join');
    expect(statusText({ ...away, noNetwork: true }, 'none')).toBe(
      'No server: only players on this PC can join',
    );
  });

  it('waiting for the host to let me in: says so, and where that host is', () => {
    const at = (hostAddress: string) =>
      statusText(makeStatus({ state: 'local', serverUrl: null, hostAddress }), 'waiting');
    expect(at('127.0.0.1')).toBe('No server: waiting to be let into a party hosted on this PC');
    expect(at('10.0.0.5')).toBe(
      'No server: waiting to be let into a party hosted at 10.0.0.5 on your network',
    );
    // No host linked yet: nothing to tell but who could join a party hosted here.
    const unlinked = makeStatus({ state: 'local', serverUrl: null });
    expect(statusText(unlinked, 'waiting')).toBe('No server: only players on this PC can join');
  });

  it('uses no jargon: no "fallback", no attempt counters', () => {
    for (const state of ['local', 'connecting', 'connected', 'reconnecting', 'offline'] as const) {
      for (const everConnected of [true, false]) {
        const status = makeStatus({ state, everConnected, reconnectAttempt: 3 });
        const text = statusText(status, 'member');
        expect(text).not.toMatch(/fallback|attempt|\d of \d/i);
      }
    }
  });
});

describe('inviteHint: who can join a party made now', () => {
  it('online: send the invite', () => {
    expect(inviteHint(makeStatus({ state: 'connected' }))).toMatch(/^Send your friends/);
  });

  it('server not answering (reconnecting): friends join once it answers, not "send"', () => {
    expect(inviteHint(makeStatus({ state: 'reconnecting' }), true)).toBe(
      "LANrage can't reach 127.0.0.1:9000 right now: friends can join once it answers.",
    );
  });

  it('server not answering, a member: told its view may be stale, not who can join', () => {
    expect(inviteHint(makeStatus({ state: 'reconnecting' }), false)).toBe(
      "LANrage can't reach 127.0.0.1:9000 right now: what you see of the party may be out of date until it answers.",
    );
  });

  it('offline or without a server: says only players on this PC can join', () => {
    expect(inviteHint(makeStatus({ state: 'offline' }))).toMatch(
      /only players on this PC can join for now.*127\.0\.0\.1:9000/,
    );
    expect(inviteHint(makeStatus({ state: 'local', serverUrl: null }))).toMatch(
      /only players on this PC can join/,
    );
    expect(inviteHint(makeStatus({ state: 'offline' }))).not.toMatch(/^Send your friends/);
  });

  it("guest without a server: who can join is the host's reach, not this app's", () => {
    for (const lanListen of [false, true]) {
      const guest = inviteHint(makeStatus({ state: 'local', serverUrl: null, lanListen }), false);
      expect(guest).toBe(
        'This party has no server: players who can reach the PC it runs on can join.',
      );
    }
  });

  it("new host of a party handed over without a server: the serving PC's reach, not mine", () => {
    const handed = (hostAddress: string) =>
      inviteHint(makeStatus({ state: 'local', serverUrl: null, hostAddress }), true);
    // Carol's own reach ("only players on this PC") was said: the party runs on Alice's PC.
    expect(handed('127.0.0.1')).toBe(
      'Another LANrage on this PC runs this party: players who can reach this PC can join, until that LANrage closes.',
    );
    expect(handed('10.0.0.5')).toBe(
      'LANrage at 10.0.0.5 runs this party: players who can reach that PC can join, until LANrage closes there.',
    );
    // Hosting it myself (no host address), my own reach is the party's.
    const mine = inviteHint(makeStatus({ state: 'local', serverUrl: null, lanListen: true }));
    expect(mine).toMatch(/^No server is set, so only players on your local network can join\./);
  });

  it('offline guest: told what matters to a member (its view is stale), not who can join', () => {
    const guest = inviteHint(makeStatus({ state: 'offline' }), false);
    expect(guest).not.toMatch(/this PC|local network|can join/);
    expect(guest).toBe(
      'You are offline: what you see of the party may be out of date until 127.0.0.1:9000 answers again.',
    );
  });
});

describe('discoverySource', () => {
  it('is null where discovery can find nothing but our own parties (a server is in use)', () => {
    for (const state of ['connected', 'connecting', 'reconnecting'] as const) {
      expect(discoverySource(makeStatus({ state }))).toBeNull();
    }
  });

  it('labels the source where local parties are found', () => {
    const source = 'Hosted with LANrage on this PC or your local network';
    expect(discoverySource(makeStatus({ state: 'local' }))).toBe(source);
    expect(discoverySource(makeStatus({ state: 'offline' }))).toBe(source);
  });
});

describe('createReachHint: who can join a party hosted now', () => {
  it('names the server that does not answer; says "without a server" only when none is set', () => {
    expect(createReachHint(makeStatus({ state: 'connected' }))).toBeNull();
    expect(createReachHint(makeStatus({ state: 'local', serverUrl: null }))).toBe(
      'Without a server, only players on this PC can join a party you host.',
    );
    expect(createReachHint(makeStatus({ state: 'offline', lanListen: true }))).toBe(
      'While 127.0.0.1:9000 does not answer, only players on your local network can join a party you host.',
    );
  });
});

describe('a host cut off from its LAN', () => {
  const hosting = makeStatus({
    state: 'local',
    serverUrl: null,
    lanListen: true,
    localServer: { port: 8668, lan: true },
  });
  const cut = (reason: 'no_network' | 'silent') =>
    makeStatus({ ...hosting, lanCutOff: { reason, heardAt: null } });

  it('says this PC lost its network, not who can join, and the bar is not green', () => {
    expect(statusText(cut('no_network'), 'member')).toBe(
      "This PC has lost its network: your party's members cannot reach you",
    );
    expect(statusText(cut('silent'), 'member')).toBe(
      'Nobody in your party answers: this PC may have lost its network',
    );
    expect(listeningText(cut('no_network'))).toBe(
      'Not reachable on the LAN: this PC has no network (port 8668)',
    );
    expect(listeningText(hosting)).toBe('Listening on the LAN on port 8668');
    expect(heartbeatHealth(cut('silent'), true, T0, T0)).toBe('late');
    expect(heartbeatHealth(hosting, true, T0, T0)).toBe('healthy');
    expect(canSeeOthers(cut('silent'))).toBe(false);
  });
});

describe('LAN discovery that cannot send', () => {
  it('does not say players on the local network can join', () => {
    const blocked = makeStatus({
      state: 'local',
      serverUrl: null,
      lanListen: true,
      lanBlocked: true,
    });
    expect(statusText(blocked, 'none')).toBe(
      'No server: LAN discovery is blocked here, so players nearby cannot find your parties',
    );
  });
});
