import { describe, expect, it } from 'vitest';
import { PartyInfo, PeerInfo } from '../../../../shared/model';
import { ServerMessageSchema, type ServerMessage } from '../../../../shared/protocol/protocol';
import type { ClientMessageInput } from '../../../../shared/protocol/client-messages';
import { REMOVED, resyncParty } from './resync';
import { ControlPlaneError } from '../../../../shared/protocol/errors';
import { CloseReason } from '../../../../shared/party/events';
import { partyDict, peerDict } from '../../test-util/scripted-server';

const local = PartyInfo.fromDict(partyDict('p1', [peerDict('host'), peerDict('me')]));
const me = PeerInfo.fromDict(peerDict('me'));
/** The server's party no longer has us; it would take us back if we asked. */
function serverWithoutMe(): {
  asked: string[];
  request: (m: ClientMessageInput) => Promise<ServerMessage>;
} {
  const asked: string[] = [];
  const request = (m: ClientMessageInput): Promise<ServerMessage> => {
    asked.push(m.type);
    const peers = m.type === 'join_party' ? [peerDict('host'), peerDict('me')] : [peerDict('host')];
    return Promise.resolve(
      ServerMessageSchema.parse({ type: 'party_update', party: partyDict('p1', peers) }),
    );
  };
  return { asked, request };
}

describe('resyncParty', () => {
  it('joins again when the server lost us for no reason it told', async () => {
    const { asked, request } = serverWithoutMe();
    const synced = await resyncParty(request, local, me, () => true);
    expect(asked).toEqual(['get_party', 'join_party']);
    expect(synced).not.toBe(REMOVED);
  });

  it('a party that shows outsiders nothing without an invite is asked to take us back, not registered again', async () => {
    const hosted = PartyInfo.fromDict(partyDict('p1', [peerDict('me')], 'me'));
    const asked: string[] = [];
    const request = (m: ClientMessageInput): Promise<ServerMessage> => {
      asked.push(m.type);
      const code = 'invite_invalid';
      return Promise.reject(new ControlPlaneError('This party only lets in…', { code }));
    };
    expect(await resyncParty(request, hosted, me, () => true)).toBe(CloseReason.REFUSED);
    // As host we would register a party the server lost: this one it has, so we ask to join.
    expect(asked).toEqual(['get_party', 'join_party']);
  });

  it('does not join again once told (meanwhile) that we were removed after being offline', async () => {
    const { asked, request } = serverWithoutMe();
    expect(await resyncParty(request, local, me, () => false)).toBe(REMOVED);
    expect(asked).toEqual(['get_party']);
  });
});
