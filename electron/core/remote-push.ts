/**
 * The spec's `_handle_messages`: what the remote control plane does with each message the
 * server pushes (one that answers none of our requests). Party pushes go through the
 * plane's commit, so the local mirror, the state file and the UI all follow.
 */
import { PartyInfo, PeerInfo } from '../../shared/model';
import * as transitions from '../../shared/party-transitions';
import type { ServerMessage } from '../../shared/protocol';
import type { Logger } from './logger';
import { diffParty } from './party-diff';
import type { ControlPlaneChange } from './types';

/** The parts of the plane a push may touch. */
export interface PushTarget {
  readonly parties: ReadonlyMap<string, PartyInfo>;
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

export function handlePush(target: PushTarget, message: ServerMessage): void {
  switch (message.type) {
    case 'party_update':
      return replaceParty(target, PartyInfo.fromParsed(message.party));
    case 'peer_joined': {
      const party = target.parties.get(message.party_id);
      if (!party) return;
      const peer = PeerInfo.fromParsed(message.peer);
      return target.commit(party.partyId, transitions.joinParty(party, peer, peer.lastSeen));
    }
    case 'peer_left': {
      const party = target.parties.get(message.party_id);
      if (party) target.commit(party.partyId, transitions.leaveParty(party, message.peer_id));
      return;
    }
    case 'party_closed':
      return closeParty(target, message.party_id);
    case 'signal':
      return target.emitChange({
        kind: 'signal',
        partyId: message.party_id,
        fromPeerId: message.from_peer_id,
        signalData: message.signal_data,
      });
    case 'error':
      return target.logger.warn(`Control server: ${message.message} (${message.code ?? 'error'})`);
    default:
      return; // welcome, ack, heartbeat_ack only ever answer our requests.
  }
}
