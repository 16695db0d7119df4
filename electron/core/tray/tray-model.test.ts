import { describe, expect, it } from 'vitest';
import { PartyInfo, PeerInfo } from '../../../shared/model';
import { memberPresence, type ConnectionStatus } from '../../../shared/status';
import { formatAge, MAX_TOOLTIP, trayIndicator } from './tray-model';

const T0 = Date.UTC(2026, 0, 29, 12, 0, 0);
const INTERVAL = 30_000;

function status(changes: Partial<ConnectionStatus> = {}): ConnectionStatus {
  return {
    state: 'connected',
    serverUrl: 'wss://lanrage.example',
    reconnectAttempt: 0,
    maxReconnectAttempts: 5,
    lastHeartbeatAt: T0,
    lastHeartbeatRttMs: 42,
    heartbeatIntervalMs: INTERVAL,
    peerTimeoutMs: 300_000,
    everConnected: true,
    retryDelayMs: 5000,
    ...changes,
  };
}

function peer(peerId: string, name: string, lastSeen = new Date(T0 - 60_000)): PeerInfo {
  return new PeerInfo({
    peerId,
    name,
    publicKey: 'key',
    natType: 'full_cone',
    publicIp: '203.0.113.42',
    publicPort: 51820,
    localIp: '192.168.1.100',
    localPort: 51820,
    lastSeen,
  });
}

const party = new PartyInfo({
  partyId: 'party_abc123',
  name: 'Gaming Night',
  hostId: 'peer123',
  createdAt: new Date(T0 - 3_600_000),
  peers: new Map([
    ['peer123', peer('peer123', 'Alice')],
    ['peer456', peer('peer456', 'Bob')],
  ]),
});

describe('trayIndicator', () => {
  it('is idle outside a party, and says the connection', () => {
    const out = trayIndicator(status(), null, 'peer123', T0);
    expect(out).toEqual({
      icon: 'idle',
      tooltip: 'LANrage: not in a party (Connected to lanrage.example)',
    });
  });

  it('out of a party, says nothing of a party host whose link is still up; waiting, says so', () => {
    const linked = status({ state: 'local', serverUrl: null, hostAddress: '10.0.0.5' });
    expect(trayIndicator(linked, null, 'peer123', T0).tooltip).toBe(
      'LANrage: not in a party (No server: only players on this PC can join)',
    );
    expect(trayIndicator(linked, null, 'peer123', T0, new Map(), true).tooltip).toBe(
      'LANrage: not in a party (No server: waiting to be let into a party hosted at 10.0.0.5 on your network)',
    );
    expect(trayIndicator(linked, party, 'peer123', T0).tooltip).toMatch(
      /\(No server: in a party hosted at 10\.0\.0\.5/,
    );
  });

  it('is healthy when the last heartbeat was acknowledged within two intervals', () => {
    const out = trayIndicator(status(), party, 'peer123', T0 + 2 * INTERVAL);
    expect(out.icon).toBe('healthy');
    // Bob, without presence (a 1.0 server), last beat 2 min ago: offline, as his row says.
    expect(out.tooltip).toBe(
      'LANrage: Gaming Night, 1 of 2 online, heartbeat 1 min ago, 42 ms round trip (Connected to lanrage.example)',
    );
  });

  it("takes my row's last_seen (set on join) on the server's clock, this PC 10 min ahead", () => {
    const ahead = 10 * 60_000;
    const joined = new PartyInfo({
      ...party,
      peers: new Map([['peer123', peer('peer123', 'Alice', new Date(T0))]]),
    });
    const noAck = { lastHeartbeatAt: null, serverClockOffsetMs: -ahead };
    const out = trayIndicator(status(noAck), joined, 'peer123', T0 + ahead + 5_000);
    expect(out.icon).toBe('healthy');
    expect(out.tooltip).toContain('heartbeat 5 s ago');
  });

  it('is late once the heartbeat is older than two intervals', () => {
    const out = trayIndicator(status(), party, 'peer123', T0 + 2 * INTERVAL + 1);
    expect(out.icon).toBe('late');
    expect(out.tooltip).toContain('heartbeat 1 min ago');
  });

  it('is late while reconnecting, even with a fresh heartbeat', () => {
    const out = trayIndicator(
      status({ state: 'reconnecting', reconnectAttempt: 2 }),
      party,
      'peer123',
      T0 + 1000,
    );
    expect(out.icon).toBe('late');
    expect(out.tooltip).toContain("Can't reach lanrage.example, retrying every 5\u00a0s");
  });

  it('is late while the party’s LAN host is away, and counts nobody else online', () => {
    const away = status({ state: 'local', serverUrl: null, hostAway: true });
    const out = trayIndicator(away, party, 'peer123', T0 + 1000);
    expect(out.icon).toBe('late');
    expect(out.tooltip).toContain('? of 2 online');
  });

  it('is late while the server does not answer, and counts nobody else online', () => {
    const quiet = status({ state: 'connected', serverQuiet: true });
    const out = trayIndicator(quiet, party, 'peer123', T0 + 1000);
    expect(out.icon).toBe('late');
    expect(out.tooltip).toContain('? of 2 online');
  });

  it('is offline after falling back to local mode, in a party or not', () => {
    const offline = status({ state: 'offline' });
    expect(trayIndicator(offline, party, 'peer123', T0).icon).toBe('offline');
    expect(trayIndicator(offline, null, 'peer123', T0).icon).toBe('offline');
    expect(trayIndicator(offline, null, 'peer123', T0).tooltip).toContain(
      "Offline: can't reach lanrage.example, retrying every 5\u00a0s",
    );
    // In a party the tooltip's 127-character cut takes the sentence's end first.
    expect(trayIndicator(offline, party, 'peer123', T0).tooltip).toContain(
      "Offline: can't reach lanrage.example",
    );
  });

  it('uses my own last_seen (set on join) before the first heartbeat, and shows no RTT in local mode', () => {
    const joined = party.with({
      peers: new Map([['peer123', peer('peer123', 'Alice', new Date(T0))]]),
    });
    const local = status({
      state: 'local',
      serverUrl: null,
      lastHeartbeatAt: null,
      lastHeartbeatRttMs: null,
    });
    const out = trayIndicator(local, joined, 'peer123', T0 + 5000);
    expect(out).toEqual({
      icon: 'healthy',
      tooltip:
        'LANrage: Gaming Night, 1 of 1 online, heartbeat 5 s ago (No server: only players on this PC can join)',
    });
  });

  it('is late with no heartbeat at all when I am missing from the party', () => {
    const out = trayIndicator(status({ lastHeartbeatAt: null }), party, 'peer999', T0);
    expect(out.icon).toBe('late');
    expect(out.tooltip).toContain('no heartbeat yet');
  });

  it('keeps tooltips within the Windows limit', () => {
    const long = party.with({ name: 'x'.repeat(64) });
    const out = trayIndicator(
      status({ serverUrl: `wss://${'y'.repeat(100)}.example` }),
      long,
      'peer123',
      T0,
    );
    expect(out.tooltip.length).toBe(MAX_TOOLTIP);
    expect(out.tooltip.endsWith('…')).toBe(true);
  });
});

describe('online count', () => {
  const four = party.with({
    peers: new Map([
      ['peer123', peer('peer123', 'Alice')],
      ['peer456', peer('peer456', 'Bob')],
      ['peer789', peer('peer789', 'Cid')],
      ['peer000', peer('peer000', 'Dee')],
    ]),
  });
  const seen = new Date(T0).toISOString();
  const presence = new Map([
    ['peer456', { status: 'online' as const, last_seen: seen, rtt_ms: 20 }],
    ['peer789', { status: 'offline' as const, last_seen: seen, rtt_ms: null }],
    ['peer000', { status: 'online' as const, last_seen: seen, rtt_ms: null }],
  ]);

  it('says "3 of 4 online": the others by presence, me by my own heartbeat', () => {
    const out = trayIndicator(
      status({ lastHeartbeatAt: T0 - 1000 }),
      four,
      'peer123',
      T0,
      presence,
    );
    expect(out.tooltip).toContain('Gaming Night, 3 of 4 online,');
    // Two intervals after my last confirmation I am no longer counted...
    const local = status({ state: 'local', serverUrl: null, lastHeartbeatAt: T0 - 3 * INTERVAL });
    expect(trayIndicator(local, four, 'peer123', T0 + 10_000, presence).tooltip).toContain(
      '2 of 4 online',
    );
    // ...and linked to a server that stopped answering my beats, nobody is: the rows all say
    // "status unknown" (README: "nobody is shown online then, you included").
    const late = trayIndicator(
      status({ lastHeartbeatAt: T0 - 3 * INTERVAL }),
      four,
      'peer123',
      T0 + 10_000,
      presence,
    );
    expect(late.tooltip).toContain('? of 4 online');
  });

  it('counts as the member rows show them: one rule (memberPresence) for both', () => {
    // A 1.0 server (no presence), Bob last heard from 10 min ago: the review's probe.
    const bob = peer('peer456', 'Bob', new Date(T0 - 600_000));
    const two = party.with({
      peers: new Map([
        ['peer123', peer('peer123', 'Alice')],
        ['peer456', bob],
      ]),
    });
    const now = T0 + 1000;
    const s = status();
    const row = memberPresence(
      {
        status: s,
        presence: undefined,
        lastSeen: bob.lastSeen.getTime(),
        isMe: false,
        myConfirmedAt: T0,
      },
      now,
    );
    expect(row).toBe('offline');
    expect(trayIndicator(s, two, 'peer123', now).tooltip).toContain('1 of 2 online');
  });

  it('does not claim anyone online while reconnecting', () => {
    const out = trayIndicator(
      status({ state: 'reconnecting', reconnectAttempt: 1 }),
      four,
      'peer123',
      T0,
      presence,
    );
    expect(out.tooltip).toContain('? of 4 online');
    expect(out.tooltip).not.toMatch(/\d of 4 online/);
  });

  it('serving its party itself while its server is away: counted by its own server', () => {
    const offline = { state: 'offline' as const, lastHeartbeatAt: T0 };
    const away = trayIndicator(status(offline), four, 'peer123', T0, presence);
    expect(away.tooltip).toContain('? of 4 online');
    const serving = status({ ...offline, localServer: { port: 8668, lan: true } });
    expect(trayIndicator(serving, four, 'peer123', T0, presence).tooltip).toContain(
      '3 of 4 online',
    );
  });
});

describe('formatAge', () => {
  it('reads like the UI: seconds, minutes, hours', () => {
    expect(formatAge(12_400)).toBe('12 s ago');
    expect(formatAge(125_000)).toBe('2 min ago');
    expect(formatAge(2 * 3_600_000 + 5)).toBe('2 h ago');
    expect(formatAge(-50)).toBe('0 s ago');
  });
});
