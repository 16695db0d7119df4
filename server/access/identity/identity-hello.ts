/**
 * `hello.identity` (protocol 1.2): the client proves its identity key by signing this
 * connection's challenge. Every peer id bound to that key is then this connection's again:
 * routed to it, owned by its session, and back online for the others — whatever session
 * token (if any) it presented and whatever URL it used to reach us (a server given an
 * audience check: whichever of its own addresses).
 */
import type { z } from 'zod';
import type { HelloIdentitySchema } from '../../../shared/access/protocol';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { ErrorCode } from '../../../shared/protocol/protocol';
import type { ConnectionContext, ServerContext } from '../../connection/handlers';
import type { AudienceCheck } from './audience';
import { verifyIdentity } from './identity-proof';

/**
 * Why a proof's audience (1.7) is not for this server, or null. A server that knows its
 * addresses takes only a proof made for one of them: a server passing on its challenge got
 * a proof naming the address its own client dialled. A server that asked for none takes
 * none: a proof with one answered another server's challenge, passed on to us (with the
 * request for an audience added, so that a client that insists on one would sign it).
 */
function audienceRefusal(check: AudienceCheck | null, audience: string | undefined): string | null {
  if (check === null) {
    return audience === undefined ? null : 'This server asked for no audience in the proof';
  }
  if (audience === undefined) return null; // an older app's: taken as no identity (below)
  return check(audience) ? null : `The identity proof was made for ${audience}, not this server`;
}

type HelloIdentity = z.output<typeof HelloIdentitySchema>;

/**
 * Checks the proof a hello carries, before the hello changes anything (its session, its
 * notices); false when it is not taken: a proof without the audience this server asked for
 * (an app before 1.7) says hello as a client without a key.
 * @throws ControlPlaneError `forbidden` when the proof is not for this connection or server.
 */
export function checkIdentity(
  identity: HelloIdentity,
  conn: ConnectionContext,
  server: ServerContext,
): boolean {
  const { access } = server;
  const { public_key, signature, audience } = identity;
  if (!verifyIdentity(public_key, signature, access.serverId, conn.nonce, audience)) {
    throw new ControlPlaneError('The identity proof does not match this connection', {
      code: ErrorCode.FORBIDDEN,
      field: 'identity',
    });
  }
  const refusal = audienceRefusal(access.audience, audience);
  if (refusal !== null) {
    throw new ControlPlaneError(refusal, { code: ErrorCode.FORBIDDEN, field: 'identity' });
  }
  return !(access.audience && audience === undefined);
}

/** Adopts the identity a hello proved (checkIdentity said it is taken). */
export function adoptIdentity(
  identity: HelloIdentity,
  conn: ConnectionContext,
  server: ServerContext,
): void {
  const { access, sessions, service } = server;
  conn.identityKey = identity.public_key;
  const back: string[] = [];
  // Looked up per peer id of the key: a Set of every member on the server, built per hello,
  // let a few connections repeating keyed hellos hold a busy server's event loop.
  for (const peerId of access.bindings.peersOf(identity.public_key)) {
    if (!service.isMember(peerId)) continue;
    sessions.take(conn.token, peerId);
    conn.attach(peerId);
    back.push(peerId);
  }
  if (back.length > 0) service.resumed(back, server.clock.now());
}
