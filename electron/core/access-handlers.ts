/**
 * The app's access-control channels (issue 10): party settings, approval, invites, kick
 * and ban, public parties. Until each lands in the control planes it answers a plain
 * refusal, so the UI can be built against the contract.
 */
import { ControlPlaneError } from '../../shared/errors';
import type { IpcChannel } from '../../shared/ipc';
import type { IpcHandlers } from './ipc-registry';

export type AccessChannel = Extract<
  IpcChannel,
  | 'updatePartySettings'
  | 'cancelJoin'
  | 'answerJoin'
  | 'createInvite'
  | 'listInvites'
  | 'revokeInvite'
  | 'kickPeer'
  | 'unbanPeer'
  | 'listBans'
  | 'listParties'
>;

function notYet(): Promise<never> {
  return Promise.reject(
    new ControlPlaneError('LANrage cannot do that yet.', { code: 'bad_request' }),
  );
}

export function accessHandlers(): Pick<IpcHandlers, AccessChannel> {
  return {
    updatePartySettings: notYet,
    cancelJoin: notYet,
    answerJoin: notYet,
    createInvite: notYet,
    listInvites: notYet,
    revokeInvite: notYet,
    kickPeer: notYet,
    unbanPeer: notYet,
    listBans: notYet,
    listParties: notYet,
  };
}
