import { describe, expect, it } from 'vitest';
import type { ActivityEntry, PartyView } from '../../../shared/ipc/app-state';
import { DEFAULT_PARTY_SETTINGS, settingsToDict } from '../../../shared/party/settings';
import type { SavedActivity } from './activity-file';
import { PartyNews } from './party-news';
import { makePeer } from '../test-util/fixtures';

const AT = new Date(Date.UTC(2026, 0, 29, 12));
const party = (id: string, hostId: string): PartyView => ({
  party_id: id,
  name: 'Night',
  host_id: hostId,
  created_at: AT.toISOString(),
  peers: { bob: { ...makePeer('bob').toDict(), name: 'Bob' } },
  arrival: ['bob'],
  presence: {},
  settings: settingsToDict(DEFAULT_PARTY_SETTINGS),
});
const line = (text: string): ActivityEntry => ({
  at: AT.toISOString(),
  kind: 'left',
  peer_id: 'bob',
  subject: 'Bob',
  text,
});

function news() {
  const kept: (SavedActivity | null)[] = [];
  const keeper = {
    load: () => Promise.resolve(null),
    flush: () => Promise.resolve(),
    changed: (saved: SavedActivity | null) => void kept.push(saved),
  };
  const n = new PartyNews({ emit: () => {}, notify: () => {} }, keeper);
  return { n, kept };
}

describe('PartyNews.restore: the list the last run kept', () => {
  it('comes back behind what this start told (a host changed while I was away)', () => {
    const { n, kept } = news();
    // At start the saved party is compared with the server's: the host changed meanwhile.
    n.record(party('p', 'ann'), party('p', 'bob'), [], 'me', AT);
    n.restore({ party_id: 'p', activity: [line('Bob left'), line('Bob joined')] }, 'p');
    expect(n.activity.map((e) => e.text)).toEqual([
      'Bob is now the host (changed while you were away)',
      'Bob left',
      'Bob joined',
    ]);
    expect(kept.at(-1)).toEqual({ party_id: 'p', activity: n.activity });
  });

  it('about another party (or none shown) it is not shown, and goes from disk', () => {
    const { n, kept } = news();
    n.restore({ party_id: 'old', activity: [line('Bob left')] }, 'p');
    expect(n.activity).toEqual([]);
    expect(kept).toEqual([null]);
    const other = news();
    other.n.restore({ party_id: 'old', activity: [line('Bob left')] }, null);
    expect(other.n.activity).toEqual([]);
    expect(other.kept).toEqual([null]);
  });

  it('a new party starts an empty list, kept for that party', () => {
    const { n, kept } = news();
    n.restore({ party_id: 'p', activity: [line('Bob left')] }, 'p');
    n.record(party('p', 'me'), party('q', 'me'), [], 'me', AT);
    expect(n.activity).toEqual([]);
    expect(kept.at(-1)).toEqual({ party_id: 'q', activity: [] });
  });
});
