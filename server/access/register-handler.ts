/**
 * `register_party` with issue 10's rules: an id of 8+ characters (the schema), never one
 * used before, and the host's settings, its password kept as a hash.
 */
import { ControlPlaneError } from '../../shared/protocol/errors';
import { PeerInfo } from '../../shared/model';
import { settingsFromDict } from '../../shared/party/settings';
import { createParty } from '../../shared/party/transitions';
import { ErrorCode } from '../../shared/protocol/protocol';
import type { HandlerMap, ServerContext } from '../connection/handlers';
import { hashPassword } from './passwords';
import { admitNewPeerId, authorizePeer, claimPeer } from './identity/peer-auth';

type RegisterMessage = Parameters<HandlerMap['register_party']>[0];
type Conn = Parameters<HandlerMap['register_party']>[1];

function refuseTaken(message: RegisterMessage, conn: Conn, server: ServerContext): void {
  const id = message.party_id;
  if (server.service.parties.has(id)) {
    throw new ControlPlaneError(`Party ${id} already exists`, {
      code: ErrorCode.CONFLICT,
      field: 'party_id',
    });
  }
  if (!server.access.usedIds.mayRegister(id, conn.identityKey)) {
    // An old link to the party that had this id must not lead into a new one.
    throw new ControlPlaneError(`Party ID ${id} was used before: choose another`, {
      code: ErrorCode.CONFLICT,
      field: 'party_id',
    });
  }
}

/** `hash`: the password's, made after the creation was admitted (and spent) once already. */
function register(message: RegisterMessage, conn: Conn, server: ServerContext, hash?: string) {
  const host = PeerInfo.fromParsed(message.host_peer);
  authorizePeer(conn, host.peerId, server);
  refuseTaken(message, conn, server);
  const spend = hash === undefined;
  server.quotas.admitCreation(conn.address, host.peerId, server.service.parties, spend);
  admitNewPeerId(conn, host.peerId, server);
  const at = new Date(server.clock.now());
  const settings = message.settings ? settingsFromDict(message.settings) : undefined;
  const transition = createParty(message.party_id, message.name, host, at, settings);
  server.service.apply(message.party_id, transition, new Set([host.peerId]));
  server.access.usedIds.add(message.party_id, at, conn.identityKey);
  if (hash !== undefined) server.access.passwords.set(message.party_id, hash);
  server.quotas.recordCreation(conn.address, transition.party!);
  claimPeer(conn, host.peerId, server);
  return server.service.answer(transition.party!, server.clock.now());
}

export const registerHandler: Pick<HandlerMap, 'register_party'> = {
  register_party(message, conn, server) {
    const password = message.settings?.password;
    if (password === undefined) return register(message, conn, server);
    // Refused before hashing when it would be refused anyway (a refusal must not cost a
    // hash); the creation is spent now, so a burst cannot all pass while the first hash.
    // Checked again after, as the party list may have changed meanwhile.
    const hostId = message.host_peer.peer_id;
    authorizePeer(conn, hostId, server);
    refuseTaken(message, conn, server);
    server.quotas.admitCreation(conn.address, hostId, server.service.parties);
    return server.access.hashing
      .run(conn.address, () => hashPassword(password))
      .then((hash) => register(message, conn, server, hash));
  },
};
