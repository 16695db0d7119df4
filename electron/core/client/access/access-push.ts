/**
 * Access-control pushes (protocol 1.2): a host hears of join requests, a member that it was
 * removed. Like every push, only parties we are in are touched.
 */
import type { ServerMessage } from '../../../../shared/protocol/protocol';
import { CloseReason } from '../../../../shared/party/events';
import { closeParty, type PushTarget } from '../sync/push';

/** Handles `message` if it is an access push; false for anything else. */
export function accessPush(target: PushTarget, message: ServerMessage): boolean {
  switch (message.type) {
    case 'join_request': {
      if (!target.memberOf.has(message.party_id)) return true;
      const { type: _t, party_id: partyId, request_id: _r, ...request } = message;
      target.emitChange({ kind: 'join_request', partyId, request });
      return true;
    }
    case 'join_request_closed':
      if (target.memberOf.has(message.party_id)) {
        target.emitChange({
          kind: 'join_request_closed',
          partyId: message.party_id,
          peerId: message.peer_id,
        });
      }
      return true;
    case 'kicked':
      if (target.memberOf.has(message.party_id)) {
        const reason = message.banned ? CloseReason.BANNED : CloseReason.KICKED;
        closeParty(target, message.party_id, reason);
      }
      return true;
    default:
      return false;
  }
}
