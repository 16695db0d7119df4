/**
 * Pushes the server sends about my party, applied to the app's mirror: its answers are data,
 * and the order members came in survives a snapshot (which lists an id like "42" first).
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../shared/logger';
import type { PartyInfo } from '../../../../shared/model';
import { createParty } from '../../../../shared/party/transitions';
import { ServerMessageSchema, type ServerMessageInput } from '../../../../shared/protocol';
import { partyView } from '../../app-service/views';
import { makePeer } from '../../test-util/fixtures';
import { handlePush, type PushTarget } from './push';

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
