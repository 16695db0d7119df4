import { describe, expect, it } from 'vitest';
import type { PartyInfo } from '../../shared/model';
import { PeerInfo } from '../../shared/model';
import { createParty } from '../../shared/party-transitions';
import { partySnapshot, snapshotFrame } from './snapshots';
import { peerDict } from '../test-support';

const party = (): PartyInfo =>
  createParty('p1', 'Party', PeerInfo.fromDict(peerDict('h')), new Date(0)).party!;

describe('party snapshots', () => {
  it('frames the party as party_update with the request_id, equal to serializing it', () => {
    const p = party();
    const frame = JSON.parse(snapshotFrame(partySnapshot(p), 'r-1').toString('utf8')) as unknown;
    expect(frame).toEqual({ type: 'party_update', request_id: 'r-1', party: p.toStoredDict() });
    const bare = JSON.parse(snapshotFrame(partySnapshot(p), undefined).toString('utf8')) as unknown;
    expect(bare).toEqual({ type: 'party_update', party: p.toStoredDict() });
  });

  it('serializes one party version once, and a new version anew', () => {
    const p = party();
    expect(partySnapshot(p).party).toBe(partySnapshot(p).party);
    const renamed = p.with({ name: 'Renamed' });
    const bytes = partySnapshot(renamed).party;
    expect(bytes).not.toBe(partySnapshot(p).party);
    expect((JSON.parse(bytes.toString('utf8')) as { name: string }).name).toBe('Renamed');
  });

  it('escapes a request_id that needs it', () => {
    const frame = snapshotFrame(partySnapshot(party()), 'a"b\\c');
    expect((JSON.parse(frame.toString('utf8')) as { request_id: string }).request_id).toBe(
      'a"b\\c',
    );
  });
});
