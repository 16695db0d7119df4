/**
 * `get_relay` (protocol 1.8): a member of a party gets credentials for the operator's relays,
 * named by its own peer id there, so the relay's log says who used it. A stranger, or a
 * connection that may not act as any member, gets the same `not_found` as for a party that
 * does not exist: the relay is for the party's members, and a stranger learns nothing.
 */
import { DEFAULT_RELAY_TTL_SECONDS } from '../../shared/protocol/relay';
import { ControlPlaneError } from '../../shared/protocol/errors';
import { ErrorCode } from '../../shared/protocol/protocol';
import { memberPeerId } from '../access/identity/peer-auth';
import type { HandlerMap } from '../connection/handlers';
import { turnCredentials } from './turn-credentials';

export const relayHandlers: Pick<HandlerMap, 'get_relay'> = {
  get_relay(message, conn, server) {
    const party = server.service.require(message.party_id);
    const peerId = memberPeerId(conn, party, server);
    if (peerId === null) {
      throw new ControlPlaneError('Party not found', { code: ErrorCode.NOT_FOUND });
    }
    const relay = server.relay;
    if (relay === null) {
      return {
        type: 'relay',
        party_id: party.partyId,
        ice_servers: [],
        ttl: DEFAULT_RELAY_TTL_SECONDS,
      };
    }
    const credentials = turnCredentials(relay, peerId, server.clock.now());
    server.metrics.relayCredentials();
    return {
      type: 'relay',
      party_id: party.partyId,
      ice_servers: [{ urls: [...relay.urls], ...credentials }],
      ttl: relay.ttlSeconds,
    };
  },
};
