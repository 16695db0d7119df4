import { describe, expect, it } from 'vitest';
import type { NotificationIntent } from '../app-service/types';
import { NotificationCoalescer, type PartyActivity } from './notification-coalescer';
import { PARTY_PHRASES } from './party-notifications';
import { PartyNews } from './party-news';
import type { PartyView } from '../../../shared/ipc/app-state';
import type { PartyEvent } from '../../../shared/party/events';
import { DEFAULT_PARTY_SETTINGS, settingsToDict } from '../../../shared/party/settings';
import { makePeer } from '../test-util/fixtures';
import { ManualClock } from '../test-util/manual-clock';

function setup(windowMs = 5000) {
  const clock = new ManualClock();
  const shown: NotificationIntent[] = [];
  const coalescer = new NotificationCoalescer({
    clock,
    windowMs,
    phrases: PARTY_PHRASES,
    deliver: (n) => shown.push(n),
  });
  return { clock, shown, coalescer };
}

const act = (kind: string, subject: string, partyId = 'p1'): PartyActivity => ({
  partyId,
  partyName: partyId === 'p1' ? 'LAN Night' : 'Other',
  kind,
  subject,
});

describe('NotificationCoalescer', () => {
  it('shows the first activity at once, then one summary per window', async () => {
    const { clock, shown, coalescer } = setup();
    coalescer.add(act('joined', 'Ann'));
    expect(shown).toEqual([{ title: 'Ann joined', body: 'LAN Night: Ann joined.' }]);
    for (const name of ['Bob', 'Cy', 'Di']) coalescer.add(act('joined', name));
    await clock.advance(4999);
    expect(shown).toHaveLength(1);
    await clock.advance(1);
    expect(shown[1]).toEqual({ title: '3 players joined', body: 'LAN Night: 3 players joined.' });
  });

  it('1 001 joins in a second are two notifications, and a later one waits for its window', async () => {
    const { clock, shown, coalescer } = setup();
    for (let i = 0; i < 1001; i++) coalescer.add(act('joined', `junk${i}`));
    await clock.advance(1000);
    expect(shown).toHaveLength(1);
    await clock.advance(4000);
    expect(shown).toHaveLength(2);
    expect(shown[1]!.title).toBe('1000 players joined');
    coalescer.add(act('left', 'Ann'));
    expect(shown).toHaveLength(2);
    await clock.advance(5000);
    expect(shown[2]).toEqual({ title: 'Ann left', body: 'LAN Night: Ann left.' });
    await clock.advance(5000);
    coalescer.add(act('left', 'Bob'));
    expect(shown).toHaveLength(4); // the party was quiet for a whole window: shown at once
  });

  it('summarises mixed kinds in one notification, and keeps parties apart', async () => {
    const { clock, shown, coalescer } = setup();
    coalescer.add(act('joined', 'Ann'));
    coalescer.add(act('joined', 'Other host', 'p2'));
    coalescer.add(act('joined', 'Bob'));
    coalescer.add(act('left', 'Cy'));
    coalescer.add(act('joined', 'Di'));
    expect(shown).toHaveLength(2);
    await clock.advance(5000);
    expect(shown[2]).toEqual({ title: 'LAN Night', body: 'Bob and Di joined; Cy left.' });
  });

  it('takes any kind with its phrase (e.g. presence events added later)', () => {
    const clock = new ManualClock();
    const shown: NotificationIntent[] = [];
    const coalescer = new NotificationCoalescer({
      clock,
      windowMs: 5000,
      phrases: { went_offline: (s) => `${s.join(', ')} went offline` },
      deliver: (n) => shown.push(n),
    });
    coalescer.add(act('went_offline', 'Ann'));
    expect(shown).toEqual([{ title: 'Ann went offline', body: 'LAN Night: Ann went offline.' }]);
  });

  it('close() drops what was gathered and stops every timer', async () => {
    const { clock, shown, coalescer } = setup();
    coalescer.add(act('joined', 'Ann'));
    coalescer.add(act('joined', 'Bob'));
    coalescer.close();
    await clock.advance(10_000);
    expect(shown).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('presence activities', () => {
  it('are phrased: went offline, back online, removed, new host, party ended', async () => {
    const { clock, shown, coalescer } = setup();
    coalescer.add(act('offline', 'Ann'));
    coalescer.add(act('online', 'Ann'));
    coalescer.add(act('host_changed', 'Bob'));
    coalescer.add(act('removed', 'Cy'));
    await clock.advance(5000);
    coalescer.add(act('closed', 'The host ended the party'));
    await clock.advance(5000);
    expect(shown.map((n) => n.body)).toEqual([
      'LAN Night: Ann went offline.',
      'Ann back online; Bob is now the host; Cy removed from the party.',
      'LAN Night: The host ended the party.',
    ]);
  });
});

describe('a host change, from the party news to the notification', () => {
  const party = (hostId: string): PartyView => ({
    party_id: 'p1',
    name: 'LAN Night',
    host_id: hostId,
    created_at: '2026-01-29T12:00:00.000Z',
    peers: {
      ann: { ...makePeer('ann').toDict(), name: 'Ann' },
      bob: { ...makePeer('bob').toDict(), name: 'Bob (2)' },
    },
    arrival: ['ann', 'bob'],
    presence: {},
    settings: settingsToDict(DEFAULT_PARTY_SETTINGS),
  });
  const moved = (hostId: string): PartyEvent[] => [
    { type: 'host_changed', partyId: 'p1', hostId, reason: 'host_offline' },
  ];

  it('tells me I am the host, not "Bob (2)" (my name as the party shows it)', () => {
    const { shown, coalescer } = setup();
    const news = new PartyNews({ emit: () => {}, notify: (a) => coalescer.add(a) });
    news.record(party('ann'), party('bob'), moved('bob'), 'bob', new Date());
    expect(shown).toEqual([
      { title: 'You are now the host', body: 'LAN Night: You are now the host.' },
    ]);
  });

  it('names another member who becomes the host', () => {
    const { shown, coalescer } = setup();
    const news = new PartyNews({ emit: () => {}, notify: (a) => coalescer.add(a) });
    news.record(party('bob'), party('ann'), moved('ann'), 'bob', new Date());
    expect(shown).toEqual([
      { title: 'Ann is now the host', body: 'LAN Night: Ann is now the host.' },
    ]);
  });
});
