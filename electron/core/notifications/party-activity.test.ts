import { DEFAULT_PARTY_SETTINGS, settingsToDict } from '../../../shared/party/settings';
import { describe, expect, it } from 'vitest';
import type { PartyView } from '../../../shared/ipc/app-state';
import { PeerInfo } from '../../../shared/model';
import { CloseReason, type PartyEvent } from '../../../shared/party/events';
import { activityFor, endedFor, prependActivity, resumedFor, resyncedFor } from './party-activity';
import { makePeer } from '../test-util/fixtures';

type PartyClosed = Extract<PartyEvent, { type: 'party_closed' }>;

const AT = new Date(Date.UTC(2026, 0, 29, 12));
const seen = AT.toISOString();
const view: PartyView = {
  party_id: 'p',
  name: 'Night',
  host_id: 'me',
  created_at: seen,
  peers: {
    me: makePeer('me').toDict(),
    bob: { ...makePeer('bob').toDict(), name: 'Bob' },
  },
  arrival: ['me', 'bob'],
  presence: {
    me: { status: 'online', last_seen: seen, rtt_ms: null },
    bob: { status: 'online', last_seen: seen, rtt_ms: 5 },
  },
  settings: settingsToDict(DEFAULT_PARTY_SETTINGS),
};
const bobStatus = (status: 'online' | 'offline' | 'asleep'): PartyEvent => ({
  type: 'peer_status',
  partyId: 'p',
  peerId: 'bob',
  presence: { status, last_seen: seen, rtt_ms: null },
});

describe('activity', () => {
  it('has a line with its time for joined, left, removed, offline, back online and host changed', () => {
    const cid = new PeerInfo({ ...makePeer('cid'), name: 'Cid' });
    const events: PartyEvent[] = [
      { type: 'peer_joined', partyId: 'p', peer: cid },
      bobStatus('offline'),
      { type: 'host_changed', partyId: 'p', hostId: 'bob', reason: 'transfer' },
      { type: 'peer_left', partyId: 'p', peerId: 'bob', reason: 'timeout' },
    ];
    const lines = activityFor(view, events, 'me', AT);
    expect(lines.map((l) => [l.kind, l.text, l.at])).toEqual([
      ['joined', 'Cid joined', seen],
      ['offline', 'Bob went offline', seen],
      ['host_changed', 'Bob is now the host (handed over)', seen],
      ['removed', 'Bob was removed after being offline', seen],
    ]);
    const offline = {
      ...view,
      presence: { ...view.presence, bob: { ...view.presence.bob!, status: 'offline' as const } },
    };
    expect(activityFor(offline, [bobStatus('online')], 'me', AT)[0]?.text).toBe(
      'Bob is back online',
    );
    // A status the UI already shows is no news.
    expect(activityFor(view, [bobStatus('online')], 'me', AT)).toEqual([]);
    // Asleep (1.12) is no "back online": it went away, saying so.
    expect(activityFor(view, [bobStatus('asleep')], 'me', AT).map((l) => [l.kind, l.text])).toEqual(
      [['offline', "Bob's PC went to sleep"]],
    );
  });

  it('tells me in the second person when I become the host, as a snapshot does', () => {
    const migrated: PartyEvent = {
      type: 'host_changed',
      partyId: 'p',
      hostId: 'bob',
      reason: 'host_offline',
    };
    expect(activityFor(view, [migrated], 'bob', AT).map((l) => [l.kind, l.text])).toEqual([
      ['host_changed', 'You are now the host (the host went offline)'],
    ]);
  });

  it('a snapshot naming a new host says so; events, or the same host, say nothing more', () => {
    const bobHosts = { ...view, host_id: 'bob' };
    const line = (before: PartyView, after: PartyView, events: PartyEvent[], me = 'me') =>
      resyncedFor(before, after, events, me, AT).map((l) => [l.kind, l.peer_id, l.text]);
    expect(line(view, bobHosts, [])).toEqual([
      ['host_changed', 'bob', 'Bob is now the host (changed while you were away)'],
    ]);
    expect(line(view, bobHosts, [], 'bob')).toEqual([
      ['host_changed', 'bob', 'You are now the host (changed while you were away)'],
    ]);
    // The event tells it (activityFor); a snapshot of the same host, or of another party, not.
    const handedOver = { type: 'host_changed', partyId: 'p', hostId: 'bob', reason: 'transfer' };
    expect(line(view, bobHosts, [handedOver as PartyEvent])).toEqual([]);
    expect(line(view, view, [])).toEqual([]);
    expect(line({ ...view, party_id: 'q' }, bobHosts, [])).toEqual([]);
  });

  it('at start, says who came and went while the app was closed, and a new host', () => {
    const cid = { ...makePeer('cid').toDict(), name: 'Cid' };
    const { bob: _gone, ...stayed } = view.peers;
    const now = { ...view, host_id: 'cid', peers: { ...stayed, cid } };
    const lines = resumedFor(view, now, 'me', AT).map((l) => [l.kind, l.peer_id, l.text]);
    expect(lines).toEqual([
      ['left', 'bob', 'Bob left while you were away'],
      ['joined', 'cid', 'Cid joined while you were away'],
      ['host_changed', 'cid', 'Cid is now the host (changed while you were away)'],
    ]);
    // Me, and another party, say nothing.
    const { me: _me, ...withoutMe } = view.peers;
    expect(resumedFor({ ...view, peers: withoutMe }, view, 'me', AT)).toEqual([]);
    expect(resumedFor({ ...view, party_id: 'q' }, now, 'me', AT)).toEqual([]);
  });

  it('keeps the last 50, newest first', () => {
    let list = prependActivity([], []);
    for (let i = 0; i < 60; i++) {
      list = prependActivity(list, [
        { at: seen, kind: 'joined', peer_id: `p${i}`, subject: `P${i}`, text: `${i}` },
      ]);
    }
    expect(list).toHaveLength(50);
    expect(list[0]!.text).toBe('59');
  });
});

describe("a line's subject", () => {
  const long = 'Sir Reginald Bartholomew Fitzgerald the Third of Lower Wallop IV';
  const party: PartyView = {
    ...view,
    peers: { ...view.peers, bob: { ...view.peers.bob!, name: long } },
  };
  type Unsent = PartyEvent extends infer E
    ? E extends PartyEvent
      ? Omit<E, 'partyId'>
      : never
    : never;
  const ev = (e: Unsent) => ({ ...e, partyId: 'p' }) as PartyEvent;

  it('begins every line that names someone: the activity list cuts it, never the words after', () => {
    const cid = new PeerInfo({ ...makePeer('cid'), name: `${long} (2)` });
    const offline = { status: 'offline', last_seen: seen, rtt_ms: null } as const;
    const events = [
      ev({ type: 'peer_joined', peer: cid }),
      ev({
        type: 'peer_joined',
        peer: new PeerInfo({ ...makePeer('dan'), name: 'Dan' }),
        presence: offline,
      }),
      ev({ type: 'peer_status', peerId: 'bob', presence: offline }),
      ev({ type: 'host_changed', hostId: 'bob', reason: 'host_left' }),
      ...(['left', 'timeout', 'kicked', 'banned'] as const).map((reason) =>
        ev({ type: 'peer_left', peerId: 'bob', reason }),
      ),
    ];
    const bobHosts = { ...party, host_id: 'bob' };
    const { bob: _gone, ...stayed } = party.peers;
    const lines = [
      ...activityFor(party, events, 'me', AT),
      ...resyncedFor(party, bobHosts, [], 'me', AT),
      ...resumedFor(party, { ...party, peers: stayed }, 'me', AT),
      ...resumedFor({ ...party, peers: stayed }, party, 'me', AT),
    ];
    expect(lines).toHaveLength(11);
    for (const line of lines) {
      expect(line.text.startsWith(line.subject), line.text).toBe(true);
      expect(line.text.length, line.text).toBeGreaterThan(line.subject.length + 4);
    }
  });

  it('is not at the start of my own line in the second person, which shows whole', () => {
    const mine = activityFor(
      party,
      [ev({ type: 'host_changed', hostId: 'me', reason: 'transfer' })],
      'me',
      AT,
    );
    expect(mine.map((l) => [l.subject, l.text])).toEqual([
      [party.peers.me!.name, 'You are now the host (handed over)'],
    ]);
  });
});

describe('a member the host removed', () => {
  const left = (reason: 'kicked' | 'banned'): PartyEvent[] => [
    { type: 'peer_left', partyId: 'p', peerId: 'bob', reason },
  ];
  const texts = (party: PartyView, reason: 'kicked' | 'banned') =>
    activityFor(party, left(reason), 'me', AT).map((l) => [l.kind, l.text]);

  it('reads "by you" on the list of the host who did it, and "banned" for a ban', () => {
    expect(texts(view, 'kicked')).toEqual([['removed', 'Bob was removed by you']]);
    expect(texts(view, 'banned')).toEqual([['removed', 'Bob was banned by you']]);
  });

  it('reads "by the host" on the others’ lists', () => {
    const cid = { ...makePeer('cid').toDict(), name: 'Cid' };
    const guest = { ...view, host_id: 'cid', peers: { ...view.peers, cid } };
    expect(texts(guest, 'kicked')).toEqual([['removed', 'Bob was removed by the host']]);
  });
});

describe('why my party ended', () => {
  it('says it with the server’s reason, and that I was removed after being offline', () => {
    const closed = (reason: PartyClosed['reason']): PartyEvent[] => [
      { type: 'party_closed', partyId: 'p', reason },
    ];
    expect(endedFor(view, closed('closed_by_host'), 'me', AT)?.message).toBe(
      'The host ended the party',
    );
    expect(endedFor(view, closed('ended_by_server'), 'me', AT)).toMatchObject({
      reason: 'ended_by_server',
      message: "The server's operator ended this party",
    });
    expect(endedFor(view, closed('host_left'), 'me', AT)?.message).toBe(
      'The host left, so the party ended',
    );
    // My LAN host's link went silent and it never said its PC was going to sleep.
    expect(endedFor({ ...view, host_id: 'bob' }, closed('host_silent'), 'me', AT)?.message).toBe(
      'Bob stopped answering, so the party ended: their PC may have crashed or lost power',
    );
    expect(endedFor(view, closed('server_left'), 'me', AT)?.message).toBe(
      "LANrage closed on the PC the party ran on (its first host's), so the party ended",
    );
    // My own app, not a server: it could not host my party again when it started.
    expect(endedFor(view, closed('not_hosted_again'), 'me', AT)?.message).toMatch(
      /^LANrage could not host it again when it started, so nobody could reach it\./,
    );
    // My own app again: the server gives my peer id to another session.
    expect(endedFor(view, closed('id_taken'), 'me', AT)?.message).toMatch(
      /^You were away, and the server now gives your place in this party to another LANrage /,
    );
    const removed: PartyEvent[] = [
      { type: 'peer_left', partyId: 'p', peerId: 'me', reason: 'timeout' },
    ];
    expect(endedFor(view, removed, 'me', AT)).toMatchObject({
      party_name: 'Night',
      reason: 'removed',
      message: 'You were removed after being offline',
    });
    expect(endedFor(view, [bobStatus('offline')], 'me', AT)).toBeNull();
  });

  it('each reason, under the party name alone (PartyEnded.tsx), says it ended or put me out', () => {
    for (const reason of Object.values(CloseReason)) {
      const events: PartyEvent[] = [{ type: 'party_closed', partyId: 'p', reason }];
      const message = endedFor({ ...view, host_id: 'bob' }, events, 'me', AT)?.message ?? '';
      expect(message, reason).toMatch(/ended|\byou\b|nobody could reach it/i);
      expect(message, reason).toMatch(/^[A-Z]/);
    }
  });
});
