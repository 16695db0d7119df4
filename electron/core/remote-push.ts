/**
 * The spec's `_handle_messages`: what the remote control plane does with each message the
 * server pushes (one that answers none of our requests). Party pushes go through the
 * plane's commit, so the local mirror, the state file and the UI all follow.
 */
import { PartyInfo, PeerInfo } from '../../shared/model';
import * as transitions from '../../shared/party-transitions';
import { MAX_PEERS_PER_PARTY, type ServerMessage } from '../../shared/protocol';
import type { Logger } from '../../shared/logger';
import { diffParty } from './party-diff';
import type { ControlPlaneChange } from './types';

/** The parts of the plane a push may touch. */
export interface PushTarget {
  readonly parties: ReadonlyMap<string, PartyInfo>;
  /** The parties our own peer is in: the only ones a push may touch. */
  readonly memberOf: ReadonlySet<string>;
  readonly logger: Logger;
  commit(partyId: string, t: transitions.Transition): void;
  emitChange(change: ControlPlaneChange): void;
}

/** A party snapshot from the server replaces our copy; the events describe the difference. */
export function replaceParty(target: PushTarget, party: PartyInfo): void {
  const before = target.parties.get(party.partyId);
  const events: transitions.PartyEvent[] = before
    ? diffParty(before, party)
    : [{ type: 'party_created', party }];
  target.commit(party.partyId, { party, events });
}

/** Forgets a party the server says is over (or lost while we were away). */
export function closeParty(target: PushTarget, partyId: string): void {
  if (!target.parties.has(partyId)) return;
  target.commit(partyId, {
    party: null,
    events: [{ type: 'party_closed', partyId, reason: 'host_left' }],
  });
}

/** The party a push is about, if we are in it; a push for any other is logged and dropped. */
function partyOfPush(target: PushTarget, message: ServerMessage): string | null {
  const partyId = message.type === 'party_update' ? message.party.party_id : partyIdOf(message);
  if (partyId === null || target.memberOf.has(partyId)) return partyId;
  target.logger.warn(`Ignoring a ${message.type} for party ${partyId}, which we are not in`);
  return null;
}

function partyIdOf(message: ServerMessage): string | null {
  return 'party_id' in message ? message.party_id : null;
}

/**
 * Applies one push. Only parties we are in are touched, so a server cannot make us store
 * (or offer in discovery) parties we never joined.
 */
export function handlePush(target: PushTarget, message: ServerMessage): void {
  if (message.type === 'error') {
    return target.logger.warn(`Control server: ${message.message} (${message.code ?? 'error'})`);
  }
  const partyId = partyOfPush(target, message);
  const party = partyId === null ? undefined : target.parties.get(partyId);
  if (!party) return; // welcome, ack, heartbeat_ack only ever answer our requests.
  switch (message.type) {
    case 'party_update':
      return replaceParty(target, PartyInfo.fromParsed(message.party));
    case 'peer_joined': {
      const peer = PeerInfo.fromParsed(message.peer);
      const t = transitions.joinParty(party, peer, peer.lastSeen, {
        maxPeers: MAX_PEERS_PER_PARTY,
      });
      return target.commit(party.partyId, t);
    }
    case 'peer_left':
      return target.commit(party.partyId, transitions.leaveParty(party, message.peer_id));
    case 'party_closed':
      return closeParty(target, message.party_id);
    case 'signal':
      return target.emitChange({
        kind: 'signal',
        partyId: message.party_id,
        fromPeerId: message.from_peer_id,
        signalData: message.signal_data,
      });
    default:
      return;
  }
}
