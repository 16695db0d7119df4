/**
 * Asking the party's server for its relays (protocol 1.8, shared/protocol/relay.ts). The answer is
 * a server's word like any other: read with the protocol's schema (so only turn: addresses, a
 * few of them, with bounded credentials), and only for the party asked about.
 */
import { ControlPlaneError } from '../../../../shared/protocol/errors';
import { ErrorCode } from '../../../../shared/protocol/protocol';
import { NO_RELAY, type RelayGrant } from '../../../../shared/protocol/relay';
import type { Request } from '../sync/resync';

export async function askRelay(request: Request, partyId: string): Promise<RelayGrant> {
  let answer;
  try {
    answer = await request({ type: 'get_relay', party_id: partyId });
  } catch (error) {
    // A server before 1.8 refuses a message type it does not know: it has no relay.
    if (error instanceof ControlPlaneError && error.code === ErrorCode.BAD_REQUEST) return NO_RELAY;
    throw error;
  }
  if (answer.type !== 'relay' || answer.party_id !== partyId) {
    throw new ControlPlaneError(`The server answered get_relay with ${answer.type}`, {
      code: 'bad_answer',
    });
  }
  return { ice_servers: answer.ice_servers, ttl: answer.ttl };
}
