import { describe, expect, it } from 'vitest';
import { ControlPlaneError } from './protocol/errors';
import { NatType, PartyInfo, PeerInfo } from './model';
import { parseTimestamp } from './time/timestamp';
import type { PeerDict } from './party/dicts';

const SPEC_PEER: PeerDict = {
  peer_id: 'peer123',
  name: 'Alice',
  public_key: 'base64_key...',
  nat_type: 'full_cone',
  public_ip: '203.0.113.42',
  public_port: 51820,
  local_ip: '192.168.1.100',
  local_port: 51820,
  last_seen: '2026-01-29T12:05:00',
};
const SPEC_PARTY = {
  party_id: 'party_abc123',
  name: 'Gaming Night',
  host_id: 'peer123',
  created_at: '2026-01-29T12:00:00',
  peers: { peer123: SPEC_PEER },
};

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ControlPlaneError) return error.field;
    throw error;
  }
  throw new Error('did not throw');
}

describe('PeerInfo', () => {
  it('reads the spec example with every attribute', () => {
    const peer = PeerInfo.fromDict(SPEC_PEER);
    expect(peer).toMatchObject({
      peerId: 'peer123',
      name: 'Alice',
      publicKey: 'base64_key...',
      natType: 'full_cone',
      publicIp: '203.0.113.42',
      publicPort: 51820,
      localIp: '192.168.1.100',
      localPort: 51820,
    });
    expect(peer.lastSeen.toISOString()).toBe('2026-01-29T12:05:00.000Z');
  });

  it('toDict writes the spec’s snake_case keys and fromDict reads them back', () => {
    const peer = PeerInfo.fromDict(SPEC_PEER);
    const dict = peer.toDict();
    expect(Object.keys(dict)).toEqual(Object.keys(SPEC_PEER));
    expect(dict.last_seen).toBe('2026-01-29T12:05:00.000Z');
    expect(PeerInfo.fromDict(dict)).toEqual(peer);
    expect(PeerInfo.fromDict(JSON.parse(JSON.stringify(dict)))).toEqual(peer);
  });

  it('accepts IPv6 addresses and zoned timestamps', () => {
    const peer = PeerInfo.fromDict({
      ...SPEC_PEER,
      public_ip: '2001:db8::1',
      last_seen: '2026-01-29T13:05:00+01:00',
    });
    expect(peer.lastSeen.toISOString()).toBe('2026-01-29T12:05:00.000Z');
  });

  it.each([
    ['public_port', { public_port: 70000 }],
    ['local_port', { local_port: -1 }],
    ['public_port', { public_port: '51820' }],
    ['last_seen', { last_seen: 'yesterday' }],
    ['peer_id', { peer_id: 'has spaces and / slashes' }],
    ['peer_id', { peer_id: '' }],
    ['public_ip', { public_ip: 'not-an-ip' }],
    ['name', { name: 42 }],
  ])('rejects a bad %s, naming it', (field, change) => {
    expect(fieldOf(() => PeerInfo.fromDict({ ...SPEC_PEER, ...change }))).toBe(field);
  });

  it('rejects a missing field, naming it', () => {
    const { local_ip: _gone, ...partial } = SPEC_PEER;
    expect(fieldOf(() => PeerInfo.fromDict(partial))).toBe('local_ip');
  });

  it('validates and maps NAT types, keeping unknown ones as UNKNOWN', () => {
    for (const nat of Object.values(NatType)) {
      const peer = PeerInfo.fromDict({ ...SPEC_PEER, nat_type: nat });
      expect(peer.validateNatType()).toBe(true);
      expect(peer.getNatTypeEnum()).toBe(nat);
    }
    const odd = PeerInfo.fromDict({ ...SPEC_PEER, nat_type: 'carrier_grade' });
    expect(odd.validateNatType()).toBe(false);
    expect(odd.getNatTypeEnum()).toBe(NatType.UNKNOWN);
    expect(odd.natType).toBe('carrier_grade');
  });

  it('with() copies without mutating', () => {
    const peer = PeerInfo.fromDict(SPEC_PEER);
    const moved = peer.with({ publicPort: 1 });
    expect(moved.publicPort).toBe(1);
    expect(peer.publicPort).toBe(51820);
  });
});

describe('PartyInfo', () => {
  it('loads the spec example JSON exactly and writes it back in the same shape', () => {
    const party = PartyInfo.fromDict(JSON.parse(JSON.stringify(SPEC_PARTY)));
    expect(party.partyId).toBe('party_abc123');
    expect(party.name).toBe('Gaming Night');
    expect(party.hostId).toBe('peer123');
    expect(party.createdAt.toISOString()).toBe('2026-01-29T12:00:00.000Z');
    expect(party.peers).toBeInstanceOf(Map);
    expect(party.peers.get('peer123')?.name).toBe('Alice');
    const dict = party.toDict();
    expect(Object.keys(dict)).toEqual(Object.keys(SPEC_PARTY));
    expect(PartyInfo.fromDict(dict)).toEqual(party);
  });

  it('names a bad nested field with its path', () => {
    const bad = { ...SPEC_PARTY, peers: { peer123: { ...SPEC_PEER, public_port: 99999 } } };
    expect(fieldOf(() => PartyInfo.fromDict(bad))).toBe('peers.peer123.public_port');
    expect(fieldOf(() => PartyInfo.fromDict({ ...SPEC_PARTY, created_at: '29/01/2026' }))).toBe(
      'created_at',
    );
    expect(fieldOf(() => PartyInfo.fromDict({ ...SPEC_PARTY, party_id: 'x'.repeat(65) }))).toBe(
      'party_id',
    );
  });

  it('rejects a peer stored under another key', () => {
    const bad = { ...SPEC_PARTY, peers: { someone_else: SPEC_PEER } };
    expect(fieldOf(() => PartyInfo.fromDict(bad))).toBe('peers.someone_else.peer_id');
  });

  it('generates distinct, valid party ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => PartyInfo.generatePartyId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^party_[a-z2-9]{13}$/);
  });
});

describe('parseTimestamp', () => {
  it('reads naive timestamps as UTC, with or without fractions', () => {
    expect(parseTimestamp('2026-01-29T12:00:00')?.toISOString()).toBe('2026-01-29T12:00:00.000Z');
    expect(parseTimestamp('2026-01-29T12:00:00.123456')?.toISOString()).toBe(
      '2026-01-29T12:00:00.123Z',
    );
    expect(parseTimestamp('2026-13-40T99:00:00')).toBeNull();
    expect(parseTimestamp('')).toBeNull();
  });
});
