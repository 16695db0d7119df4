/**
 * Handlers of the access-control messages (protocol 1.2). Until each rule lands they
 * answer a clear refusal, so a client learns the server does not do it yet.
 */
import { ControlPlaneError } from '../../shared/errors';
import { ErrorCode } from '../../shared/protocol';
import type { HandlerMap } from '../handlers';

function notYet(what: string): never {
  throw new ControlPlaneError(`This server does not support ${what} yet`, {
    code: ErrorCode.BAD_REQUEST,
  });
}

type AccessTypes =
  | 'update_party'
  | 'cancel_join'
  | 'answer_join'
  | 'create_invite'
  | 'revoke_invite'
  | 'list_invites'
  | 'kick_peer'
  | 'unban'
  | 'list_bans'
  | 'list_parties';

export const accessHandlers: Pick<HandlerMap, AccessTypes> = {
  update_party: () => notYet('party settings'),
  cancel_join: () => notYet('join approval'),
  answer_join: () => notYet('join approval'),
  create_invite: () => notYet('invites'),
  revoke_invite: () => notYet('invites'),
  list_invites: () => notYet('invites'),
  kick_peer: () => notYet('kick and ban'),
  unban: () => notYet('kick and ban'),
  list_bans: () => notYet('kick and ban'),
  list_parties: () => notYet('public parties'),
};
