/**
 * Getting a party back in step with the server after a reconnect: the server's copy wins;
 * if it no longer has us we rejoin, and if it lost the party our host registers it again.
 */
import { ControlPlaneError } from '../../shared/errors';
import { PartyInfo, type PeerInfo } from '../../shared/model';
import type { ClientMessageInput, ServerMessage } from '../../shared/protocol';

export type Request = (message: ClientMessageInput) => Promise<ServerMessage>;

const isNotFound = (error: unknown): boolean =>
  error instanceof ControlPlaneError && error.code === 'not_found';

function partyOf(answer: ServerMessage): PartyInfo {
  if (answer.type !== 'party_update') throw new ControlPlaneError('Unexpected server answer');
  return PartyInfo.fromParsed(answer.party);
}

/**
 * Returns the party as the server now has it, with `me` in it; null when the party is
 * gone for good (the server lost it and we are not its host).
 */
export async function resyncParty(
  request: Request,
  local: PartyInfo,
  me: PeerInfo,
): Promise<PartyInfo | null> {
  let server: PartyInfo | null = null;
  try {
    server = partyOf(await request({ type: 'get_party', party_id: local.partyId }));
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (server?.peers.has(me.peerId)) return server;
  try {
    if (server === null && local.hostId === me.peerId) {
      return partyOf(
        await request({
          type: 'register_party',
          party_id: local.partyId,
          name: local.name,
          host_peer: me.toDict(),
        }),
      );
    }
    return partyOf(
      await request({ type: 'join_party', party_id: local.partyId, peer: me.toDict() }),
    );
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
