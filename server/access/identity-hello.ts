/**
 * `hello.identity` (protocol 1.2): the client proves its identity key by signing this
 * connection's challenge. Every peer id bound to that key is then this connection's again:
 * routed to it, owned by its session, and back online for the others — whatever session
 * token (if any) it presented and whatever URL it used to reach us.
 */
import type { z } from 'zod';
import type { HelloIdentitySchema } from '../../shared/access/protocol';
import { ControlPlaneError } from '../../shared/errors';
import { ErrorCode } from '../../shared/protocol';
import type { ConnectionContext, ServerContext } from '../connection/handlers';
import { verifyIdentity } from './identity-proof';

export function adoptIdentity(
  identity: z.output<typeof HelloIdentitySchema>,
  conn: ConnectionContext,
  server: ServerContext,
): void {
  const { access, sessions, service } = server;
  if (!verifyIdentity(identity.public_key, identity.signature, access.serverId, conn.nonce)) {
    throw new ControlPlaneError('The identity proof does not match this connection', {
      code: ErrorCode.FORBIDDEN,
      field: 'identity',
    });
  }
  conn.identityKey = identity.public_key;
  const members = service.memberIds();
  const back: string[] = [];
  for (const peerId of access.bindings.peersOf(identity.public_key)) {
    if (!members.has(peerId)) continue;
    sessions.take(conn.token, peerId);
    conn.attach(peerId);
    back.push(peerId);
  }
  if (back.length > 0) service.resumed(back, server.clock.now());
}
