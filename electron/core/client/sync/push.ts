/**
 * The spec's `_handle_messages`: what the remote control plane does with each message the
 * server pushes (one that answers none of our requests). Party pushes go through the
 * plane's commit, so the local mirror, the state file and the UI all follow.
 */
import { PartyInfo, PeerInfo } from '../../../../shared/model';
import {
  CloseReason,
  HostChangeReason,
  LeaveReason,
  type PartyEvent,
  type Transition,
} from '../../../../shared/party/events';
import type { PresenceDict, PresenceMap } from '../../../../shared/presence';
import {
  DEFAULT_PARTY_SETTINGS,
  MAX_PEERS_PER_PARTY,
  settingsFromDict,
  type PartySettings,
} from '../../../../shared/party/settings';
import type { ServerMessage } from '../../../../shared/protocol/protocol';
import type { Logger } from '../../../../shared/logger';
import type { ControlPlaneChange } from '../../types';

/** The parts of the plane a push may touch. */
export interface PushTarget {
  readonly parties: ReadonlyMap<string, PartyInfo>;
  /** The parties our own peer is in: the only ones a push may touch. */
  readonly memberOf: ReadonlySet<string>;
  readonly logger: Logger;
  commit(partyId: string, t: Transition): void;
  emitChange(change: ControlPlaneChange): void;
  /** Replaces every member's presence with the server's snapshot. */
  setPresence(partyId: string, presence: ReadonlyMap<string, PresenceDict>): void;
  /**
   * Members this app asked the server to ban (banKey): their `kicked` is read as a ban (a
   * server before 1.11 says `kicked` for a ban; a 1.11 one says `banned` to us).
   */
  readonly banning?: Set<string>;
}

export const banKey = (partyId: string, peerId: string): string => `${partyId}\u0000${peerId}`;

const CLOSE_REASONS = new Set<string>(Object.values(CloseReason));
const HOST_REASONS = new Set<string>(Object.values(HostChangeReason));
/** What a server may say (`banned`: 1.11, to the host who banned; before, `kicked`). */
const LEAVE_REASONS = new Set<string>(Object.values(LeaveReason));

/**
 * The snapshot's members in the order we saw them come in, the new ones after: a dict lists
 * an integer-like id ("42") first, and taking its order would make that member look longest
 * present (the Leave dialog's heir, shared/party/successors.ts).
 */
function inKnownOrder(known: PartyInfo | undefined, snapshot: PartyInfo): PartyInfo {
  if (!known) return snapshot;
  const peers = new Map<string, PeerInfo>();
  for (const id of known.peers.keys()) {
    const peer = snapshot.peers.get(id);
    if (peer) peers.set(id, peer);
  }
  for (const [id, peer] of snapshot.peers) if (!peers.has(id)) peers.set(id, peer);
  return snapshot.with({ peers });
}

/**
 * A party snapshot from the server replaces our copy, as a snapshot: no events are made up
 * for it (they were the server's, and were missed or came before we connected), so the UI
 * takes it whole. Its presence (a 1.1 server's) replaces ours; only members are kept.
 */
export function replaceParty(
  target: PushTarget,
  snapshot: PartyInfo,
  presence?: PresenceMap,
): void {
  // A dict without settings (a server before 1.2) leaves the shared default object in place
  // (PartyInfo's constructor): the settings we know stay. A 1.2 server's settings replace them.
  const before = target.parties.get(snapshot.partyId);
  const known = before?.settings;
  const withoutSettings = snapshot.settings === DEFAULT_PARTY_SETTINGS;
  const ordered = inKnownOrder(before, snapshot);
  const party = known && withoutSettings ? ordered.with({ settings: known }) : ordered;
  if (presence) {
    const members = Object.entries(presence).filter(([id]) => party.peers.has(id));
    target.setPresence(party.partyId, new Map(members));
  }
  target.commit(party.partyId, { party, events: [] });
}

/**
 * Forgets a party the server says is over (or lost while we were away), with the server's
 * reason; a reason we do not know (or none, from a 1.0 server) is told as the host leaving.
 */
export function closeParty(target: PushTarget, partyId: string, reason?: string): void {
  if (!target.parties.has(partyId)) return;
  const known = reason !== undefined && CLOSE_REASONS.has(reason);
  const why = known ? (reason as CloseReason) : CloseReason.HOST_LEFT;
  target.commit(partyId, { party: null, events: [{ type: 'party_closed', partyId, reason: why }] });
}

function hostChanged(target: PushTarget, partyId: string, hostId: string, reason: string): void {
  const party = target.parties.get(partyId);
  if (!party?.peers.has(hostId) || party.hostId === hostId) return;
  const why = HOST_REASONS.has(reason) ? (reason as HostChangeReason) : HostChangeReason.TRANSFER;
  target.commit(partyId, {
    party: party.with({ hostId }),
    events: [{ type: 'host_changed', partyId, hostId, reason: why }],
  });
}

/**
 * The server removed a member. What that does to the host is the server's to say: it sends
 * host_changed or party_closed next, so no rule runs here.
 */
function peerLeft(target: PushTarget, partyId: string, peerId: string, reason?: string): void {
  const party = target.parties.get(partyId);
  if (!party?.peers.has(peerId)) return;
  const peers = new Map(party.peers);
  peers.delete(peerId);
  const said =
    reason !== undefined && LEAVE_REASONS.has(reason) ? (reason as LeaveReason) : LeaveReason.LEFT;
  const asked = target.banning?.delete(banKey(partyId, peerId)) === true;
  const why = asked && said === LeaveReason.KICKED ? LeaveReason.BANNED : said;
  target.commit(partyId, {
    party: party.with({ peers }),
    events: [{ type: 'peer_left', partyId, peerId, reason: why }],
  });
}

/**
 * A new member, as the server sent it: its name already made distinct and its party's limit
 * already checked there, so no rule runs here (a mirror that differs from the server's party
 * must not rename it, nor refuse it by its party's limit). Not online when the server says so
 * (1.5: let in while its app was closed); one we already list came back (a rejoin). Only the
 * protocol's bound holds: no party has more members, so a server pushing one more is lying
 * (or our copy is behind, which the next snapshot mends): said in the log, the copy kept.
 */
function peerJoined(
  target: PushTarget,
  party: PartyInfo,
  message: Extract<ServerMessage, { type: 'peer_joined' }>,
): void {
  const peer = PeerInfo.fromParsed(message.peer);
  if (party.peers.has(peer.peerId)) return peerUpdated(target, party, peer);
  const { partyId } = party;
  if (party.peers.size >= MAX_PEERS_PER_PARTY) {
    const many = `more than ${MAX_PEERS_PER_PARTY} members`;
    return target.logger.warn(`Ignoring a peer_joined that gives party ${partyId} ${many}`);
  }
  const peers = new Map(party.peers).set(peer.peerId, peer);
  const presence = message.presence ? { presence: message.presence } : {};
  const event: PartyEvent = { type: 'peer_joined', partyId, peer, ...presence };
  target.commit(partyId, { party: party.with({ peers }), events: [event] });
}

/** 1.3: one member's profile as it is now (the server already made its name distinct). */
export function peerUpdated(target: PushTarget, party: PartyInfo, peer: PeerInfo): void {
  if (!party.peers.has(peer.peerId)) return;
  const peers = new Map(party.peers);
  peers.set(peer.peerId, peer);
  target.commit(party.partyId, {
    party: party.with({ peers }),
    events: [{ type: 'peer_updated', partyId: party.partyId, peer }],
  });
}

function peerStatus(target: PushTarget, message: Extract<ServerMessage, { type: 'peer_status' }>) {
  const party = target.parties.get(message.party_id);
  if (!party?.peers.has(message.peer_id)) return;
  const presence = { status: message.status, last_seen: message.last_seen, rtt_ms: message.rtt_ms };
  target.commit(party.partyId, {
    party,
    events: [{ type: 'peer_status', partyId: party.partyId, peerId: message.peer_id, presence }],
  });
}

/** 1.10: the host changed the party's settings; they replace ours, the members stay. */
function settingsChanged(target: PushTarget, party: PartyInfo, settings: PartySettings): void {
  target.commit(party.partyId, {
    party: party.with({ settings }),
    events: [{ type: 'settings_changed', partyId: party.partyId, settings }],
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
  return 'party_id' in message ? (message.party_id ?? null) : null;
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
      return replaceParty(target, PartyInfo.fromParsed(message.party), message.presence);
    case 'peer_joined':
      return peerJoined(target, party, message);
    case 'peer_updated':
      return peerUpdated(target, party, PeerInfo.fromParsed(message.peer));
    case 'peer_left': {
      return peerLeft(target, message.party_id, message.peer_id, message.reason);
    }
    case 'party_closed':
      return closeParty(target, message.party_id, message.reason);
    case 'host_changed':
      return hostChanged(target, message.party_id, message.host_id, message.reason);
    case 'peer_status':
      return peerStatus(target, message);
    case 'settings_changed':
      return settingsChanged(target, party, settingsFromDict(message.settings));
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
