/**
 * Who may act as a peer id. An id bound to an identity key belongs to whoever proves that
 * key, on any connection and under any session; nobody else, ever. An unbound id belongs
 * to the session that first used it, as in protocol 1.0, and a client that proved a key
 * binds every id it takes.
 */
import { ControlPlaneError } from '../../../shared/protocol/errors';
import type { PartyInfo } from '../../../shared/model';
import { ErrorCode } from '../../../shared/protocol/protocol';
import type { ConnectionContext, ServerContext } from '../../connection/handlers';
import { notYours } from '../../connection/sessions';

/** @throws ControlPlaneError `forbidden` when the connection may not act as `peerId`. */
export function authorizePeer(
  conn: ConnectionContext,
  peerId: string,
  server: ServerContext,
): void {
  const bound = server.access.bindings.keyOf(peerId);
  if (bound === undefined) return server.sessions.authorize(conn.token, peerId);
  if (conn.identityKey !== bound) throw notYours(peerId);
}

/**
 * Spends one of the address's new peer ids when taking `peerId` would bind it to the
 * connection's key for good (call before anything changes: a join or a registration).
 * @throws ControlPlaneError `quota_exceeded`
 */
export function admitNewPeerId(conn: ConnectionContext, peerId: string, server: ServerContext) {
  if (conn.identityKey === null || server.access.bindings.keyOf(peerId) !== undefined) return;
  server.quotas.spendPeerId(conn.address);
}

/**
 * Makes `peerId` this connection's (call after authorizePeer): bound to its key if it has
 * one, owned by its session, routed to it. True when that changed durable state.
 */
export function claimPeer(conn: ConnectionContext, peerId: string, server: ServerContext): boolean {
  let changed = false;
  if (conn.identityKey !== null) changed = server.access.bindings.bind(peerId, conn.identityKey);
  changed = server.sessions.take(conn.token, peerId) || changed;
  conn.attach(peerId);
  return changed;
}

/**
 * Whether the connection already is `peerId`'s, with nothing to check or record: messages
 * for it are routed here, its session owns it and its key binding (or its absence) is the
 * connection's. authorizePeer would pass and claimPeer would change nothing, so a heartbeat,
 * the hottest path the server has, skips both.
 */
export function alreadyActsAs(
  conn: ConnectionContext,
  peerId: string,
  server: ServerContext,
): boolean {
  return (
    server.presence.routeOf(peerId)?.id === conn.id &&
    server.sessions.ownerOf(peerId) === conn.token &&
    server.access.bindings.keyOf(peerId) === (conn.identityKey ?? undefined)
  );
}

/** Whether this connection may act as some member of the party (it is "inside"). */
export function isMember(
  conn: ConnectionContext,
  party: PartyInfo,
  server: ServerContext,
): boolean {
  return memberPeerId(conn, party, server) !== null;
}

/** The party's member this connection may act as (its session's, else its key's), or null. */
export function memberPeerId(
  conn: ConnectionContext,
  party: PartyInfo,
  server: ServerContext,
): string | null {
  for (const peerId of server.sessions.peersOf(conn.token)) {
    if (party.peers.has(peerId) && mayActAs(conn, peerId, server)) return peerId;
  }
  if (conn.identityKey === null) return null;
  for (const peerId of server.access.bindings.peersOf(conn.identityKey)) {
    if (party.peers.has(peerId)) return peerId;
  }
  return null;
}

function mayActAs(conn: ConnectionContext, peerId: string, server: ServerContext): boolean {
  const bound = server.access.bindings.keyOf(peerId);
  return bound === undefined || bound === conn.identityKey;
}

/** The host's own connection, else `forbidden`. Returns the party. */
export function requireHostConn(
  partyId: string,
  conn: ConnectionContext,
  server: ServerContext,
): PartyInfo {
  const party = server.service.require(partyId);
  try {
    authorizePeer(conn, party.hostId, server);
  } catch {
    throw hostOnly(partyId);
  }
  if (server.access.bindings.keyOf(party.hostId) === undefined) {
    if (server.sessions.ownerOf(party.hostId) !== conn.token) throw hostOnly(partyId);
  }
  return party;
}

function hostOnly(partyId: string): ControlPlaneError {
  return new ControlPlaneError(`Only the host of ${partyId} may do that`, {
    code: ErrorCode.FORBIDDEN,
  });
}
