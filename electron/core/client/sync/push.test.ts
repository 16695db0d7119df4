/**
 * Pushes the server sends about my party, applied to the app's mirror: its answers are data,
 * and the order members came in survives a snapshot (which lists an id like "42" first).
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../shared/logger';
import { MemoryLogger } from '../../../../shared/test-support/memory-logger';
import type { PartyInfo } from '../../../../shared/model';
import { MAX_PEERS_PER_PARTY } from '../../../../shared/party/settings';
import { createParty } from '../../../../shared/party/transitions';
import { ServerMessageSchema, type ServerMessageInput } from '../../../../shared/protocol/protocol';
import { partyView } from '../../app-service/views';
import { makePeer } from '../../test-util/fixtures';
import { banKey, handlePush, type PushTarget } from './push';

/** A mirror of party p, hosted by me, that applies what it commits. */
function mirror(): PushTarget & { parties: Map<string, PartyInfo> } {
  const party = createParty('p', 'Night', makePeer('me'), new Date(0)).party!;
  const parties = new Map<string, PartyInfo>([['p', party]]);
  return {
    parties,
    memberOf: new Set(['p']),
    logger: silentLogger,
    commit: (id, t) => void (t.party ? parties.set(id, t.party) : parties.delete(id)),
    emitChange: () => undefined,
    setPresence: () => undefined,
  };
}

const push = (target: PushTarget, message: ServerMessageInput) =>
  handlePush(target, ServerMessageSchema.parse(message));

const joined = (id: string, name = id): ServerMessageInput => ({
  type: 'peer_joined',
  party_id: 'p',
  seq: 1,
  peer: makePeer(id, name).toDict(),
});

describe('the order members came in (who is longest present)', () => {
  it('survives a snapshot that lists "42" first', () => {
    const target = mirror();
    push(target, joined('bob'));
    push(target, joined('42'));
    const party = target.parties.get('p')!;
    const snapshot = party.toDict();
    expect(Object.keys(snapshot.peers)).toEqual(['42', 'me', 'bob']);
    push(target, { type: 'party_update', party: snapshot, seq: 2 });
    expect([...target.parties.get('p')!.peers.keys()]).toEqual(['me', 'bob', '42']);
    expect(partyView(target.parties.get('p'))?.arrival).toEqual(['me', 'bob', '42']);
  });
});

describe("peer_joined: the server's member, as sent", () => {
  it('keeps the name the server gave, even where the mirror already shows it', () => {
    const target = mirror();
    push(target, joined('bob', 'Bob'));
    // The server let a second "Bob" keep his name (the first one had left there): no suffix.
    push(target, joined('bob2', 'Bob'));
    expect(target.parties.get('p')!.peers.get('bob2')?.name).toBe('Bob');
  });

  it("is applied to a mirror that looks full by its party's limit (a leave not seen yet)", () => {
    const target = mirror();
    const party = target.parties.get('p')!;
    const settings = { ...party.settings, maxPeers: 2 };
    target.parties.set('p', party.with({ settings }));
    push(target, joined('bob'));
    push(target, joined('cid'));
    expect([...target.parties.get('p')!.peers.keys()]).toEqual(['me', 'bob', 'cid']);
  });

  it("past the protocol's bound (a lying server) is logged and dropped, not thrown", () => {
    const target = mirror();
    const logger = new MemoryLogger();
    const party = target.parties.get('p')!;
    const full = new Map(party.peers);
    for (let i = 0; full.size < MAX_PEERS_PER_PARTY; i++) full.set(`m${i}`, makePeer(`m${i}`));
    target.parties.set('p', party.with({ peers: full }));
    expect(() => push({ ...target, logger }, joined('late'))).not.toThrow();
    expect(target.parties.get('p')!.peers.size).toBe(MAX_PEERS_PER_PARTY);
    expect(logger.lines.map((l) => l.message).join('\n')).toContain('more than 256 members');
  });
});

describe('peer_left: why the member left', () => {
  /** The reason each peer_left pushed is committed with, `banning` the ids this app banned. */
  function reasons(pushed: Array<[peerId: string, reason: string]>, banning: string[] = []) {
    const target = { ...mirror(), banning: new Set(banning.map((id) => banKey('p', id))) };
    const said: string[] = [];
    const commit = target.commit;
    target.commit = (id, t) => {
      for (const e of t.events) if (e.type === 'peer_left') said.push(`${e.peerId}:${e.reason}`);
      commit(id, t);
    };
    pushed.forEach(([id]) => push(target, joined(id)));
    for (const [peerId, reason] of pushed) {
      push(target, { type: 'peer_left', party_id: 'p', peer_id: peerId, reason });
    }
    return said;
  }

  // A 1.11 server says `banned` to the host for each id the ban removed, its key's others too:
  // read as a plain leave before, and "Ann left" was the host's line for them.
  it('`banned` (1.11) is a ban, for an id this app did not name too', () => {
    expect(reasons([['e2', 'banned']])).toEqual(['e2:banned']);
  });

  it('`kicked` of an id this app banned is a ban (an older server); of another, a kick', () => {
    expect(
      reasons(
        [
          ['e1', 'kicked'],
          ['bob', 'kicked'],
        ],
        ['e1'],
      ),
    ).toEqual(['e1:banned', 'bob:kicked']);
  });

  it('a reason the app does not know is a plain leave', () => {
    expect(reasons([['bob', 'vanished']])).toEqual(['bob:left']);
  });
});
