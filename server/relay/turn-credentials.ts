/**
 * Short-lived TURN credentials as coturn's `use-auth-secret` (the "TURN REST API" draft)
 * checks them: the relay recomputes the HMAC with the secret it shares with this server, and
 * refuses a username whose expiry has passed. Nothing is stored, so any number of servers
 * sharing the secret hand out credentials the one relay takes.
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '../../shared/protocol/relay';

/** The operator's relays (`--turn-url`), the secret they share (`--turn-secret-file`). */
export interface RelayOptions {
  urls: readonly string[];
  secret: string;
  ttlSeconds: number;
}

/** Credentials for `peerId` that the relay takes until `ttlSeconds` after `nowMs`. */
export function turnCredentials(
  relay: RelayOptions,
  peerId: string,
  nowMs: number,
): Pick<IceServer, 'username' | 'credential'> {
  const expiry = Math.floor(nowMs / 1000) + relay.ttlSeconds;
  const username = `${expiry}:${peerId}`;
  const credential = createHmac('sha1', relay.secret).update(username).digest('base64');
  return { username, credential };
}
