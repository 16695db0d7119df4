import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PresenceStatus, type PresenceMap } from '../../shared/presence';
import { PRESENCE_JSON_MAX_AGE_MS, PresenceTable } from './presence-table';

const INTERVAL_MS = 30_000;
const parse = (json: string): PresenceMap => JSON.parse(json) as PresenceMap;

function table(): PresenceTable {
  const t = new PresenceTable(INTERVAL_MS);
  t.join('p1', 'a', 0);
  t.join('p1', 'b', 0);
  return t;
}

describe('presence bytes (the cached presence map of get_party answers)', () => {
  it('is byte for byte JSON.stringify(presenceOf) whatever happened, rebuilt once stale', () => {
    const id = fc.constantFrom('a', 'b', 'c', '0', '7', '12');
    const step = fc.oneof(
      fc.record({ op: fc.constant('join' as const), id }),
      fc.record({ op: fc.constant('beat' as const), id, rtt: fc.option(fc.nat(500)) }),
      fc.record({ op: fc.constant('gone' as const), id }),
      fc.record({ op: fc.constant('remove' as const), id }),
      fc.record({ op: fc.constant('scan' as const) }),
      // Another server's news: a new round trip or status with an older last seen.
      fc.record({
        op: fc.constant('remote' as const),
        id,
        rtt: fc.option(fc.nat(500)),
        online: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const t = new PresenceTable(INTERVAL_MS);
        let now = 0;
        for (const s of steps) {
          // Past the cache's age each step, so every check compares freshly made bytes.
          now += PRESENCE_JSON_MAX_AGE_MS + 7_777;
          if (s.op === 'join') t.join('p1', s.id, now);
          else if (s.op === 'beat') t.beat('p1', s.id, now, s.rtt ?? undefined);
          else if (s.op === 'gone') t.disconnected([s.id], now);
          else if (s.op === 'remove') t.remove('p1', s.id);
          else if (s.op === 'scan') t.scan(now);
          else {
            const status = s.online ? 'online' : 'offline';
            const presence = {
              status,
              last_seen: new Date(0).toISOString(),
              rtt_ms: s.rtt,
            } as const;
            t.applyRemote({ partyId: 'p1', peerId: s.id, presence }, now);
          }
          expect(t.presenceJson('p1', now)).toBe(JSON.stringify(t.presenceOf('p1')));
        }
      }),
    );
  });

  it('equals presenceOf serialized', () => {
    const t = table();
    t.beat('p1', 'a', 500, 12);
    expect(parse(t.presenceJson('p1', 600))).toEqual(t.presenceOf('p1'));
  });

  it('is built once for many answers within the max age, and anew after it', () => {
    const t = table();
    const first = t.presenceJson('p1', 1000);
    t.beat('p1', 'a', 1200); // a steady beat: no change the others must hear of
    expect(t.presenceJson('p1', 1000 + PRESENCE_JSON_MAX_AGE_MS - 1)).toBe(first);
    const later = t.presenceJson('p1', 1000 + PRESENCE_JSON_MAX_AGE_MS);
    expect(later).not.toBe(first);
    expect(parse(later)['a']!.last_seen).toBe(new Date(1200).toISOString());
  });

  it('never serves a stale status: going offline, back online, joining or leaving drops it', () => {
    const t = table();
    const first = t.presenceJson('p1', 1000);
    t.disconnected(['b'], 1001);
    expect(parse(t.presenceJson('p1', 1002))['b']!.status).toBe('offline');
    t.resumed(['b'], 1003);
    expect(parse(t.presenceJson('p1', 1004))['b']!.status).toBe('online');
    t.join('p1', 'c', 1005);
    expect(Object.keys(parse(t.presenceJson('p1', 1006)))).toEqual(['a', 'b', 'c']);
    t.remove('p1', 'a');
    expect(Object.keys(parse(t.presenceJson('p1', 1007)))).toEqual(['b', 'c']);
    expect(t.presenceJson('p1', 1007)).not.toBe(first);
  });

  it('never serves a stale round trip once the others were told of it', () => {
    const t = table();
    t.presenceJson('p1', 1000);
    expect(t.beat('p1', 'a', 1001, 40)).not.toBeNull();
    expect(parse(t.presenceJson('p1', 1002))['a']!.rtt_ms).toBe(40);
  });

  it('keeps nothing for a party that is gone', () => {
    const t = table();
    t.presenceJson('p1', 1000);
    t.dropParty('p1');
    expect(parse(t.presenceJson('p1', 1001))).toEqual({});
  });
});

describe('the parties of a peer (the index a keyed hello looks members up by)', () => {
  it('follows joins, leaves and a party that goes', () => {
    const t = table();
    t.join('p2', 'a', 0);
    expect([...t.partiesOf('a')].sort()).toEqual(['p1', 'p2']);
    t.remove('p2', 'a');
    expect([...t.partiesOf('a')]).toEqual(['p1']);
    t.dropParty('p1');
    expect([...t.partiesOf('a')]).toEqual([]);
    expect([...t.partiesOf('b')]).toEqual([]);
  });
});

describe('times no Date holds (a bad one from another server, or a broken clock)', () => {
  it('a refresh from elsewhere that is not such a time is ignored', () => {
    const t = table();
    for (const at of [Number.NaN, Infinity, 1e20, -1]) t.seenRemote('p1', 'a', at, 10_000);
    expect(t.lastSeen('p1', 'a')).toBe(0);
    t.seenRemote('p1', 'a', 5_000, 10_000);
    expect(t.lastSeen('p1', 'a')).toBe(5_000);
  });

  it('a time from elsewhere or stored ahead of now counts as now: the member still times out', () => {
    const t = table();
    const now = 1_000_000;
    const yearAhead = now + 365 * 24 * 3600_000;
    t.seenRemote('p1', 'a', yearAhead, now);
    expect(t.lastSeen('p1', 'a')).toBe(now);
    const presence = {
      status: PresenceStatus.ONLINE,
      last_seen: new Date(yearAhead).toISOString(),
      rtt_ms: null,
    };
    t.restore('p1', 'b', yearAhead, now);
    expect(t.lastSeen('p1', 'b')).toBe(now);
    t.applyRemote({ partyId: 'p1', peerId: 'a', presence }, now + 1);
    expect(t.lastSeen('p1', 'a')).toBe(now + 1);
    expect(t.offlineSince('p1', 'b')).toBeLessThanOrEqual(now + INTERVAL_MS * 10);
    const later = t.scan(now + 1 + 10 * INTERVAL_MS);
    const wentOffline = later.filter((c) => c.presence.status === PresenceStatus.OFFLINE);
    expect(wentOffline.map((c) => c.peerId)).toContain('a');
  });

  it('is written out as the epoch instead of throwing (a close listener runs this)', () => {
    const t = table();
    t.beat('p1', 'a', 1e20);
    expect(() => t.disconnected(['a'], 1e20)).not.toThrow();
    expect(t.presenceOf('p1').a).toMatchObject({
      status: 'offline',
      last_seen: '1970-01-01T00:00:00.000Z',
    });
  });
});

describe('successors (who the server makes host)', () => {
  it('are the online members longest present first, a member "42" who came last last', () => {
    const table = new PresenceTable(30_000);
    for (const id of ['host', 'bob', 'cid', '42']) table.join('p', id, 1000);
    table.disconnected(['cid'], 2000);
    expect(table.successors('p')).toEqual(['host', 'bob', '42']);
  });
});
