/**
 * The one implementation of party semantics, shared by the local control plane and the
 * control server. Every function is pure: it takes a party and returns the new party (or
 * null once the party is gone) with the events to emit; callers own storage and fan-out.
 */
import { ControlPlaneError } from './errors';
import { PartyInfo, type PeerInfo } from './model';
import { uniqueMemberName } from './names';

export const CloseReason = {
  HOST_LEFT: 'host_left',
  EMPTY: 'empty',
} as const;
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

export const LeaveReason = {
  LEFT: 'left',
  TIMEOUT: 'timeout',
} as const;
export type LeaveReason = (typeof LeaveReason)[keyof typeof LeaveReason];

export type PartyEvent =
  | { type: 'party_created'; party: PartyInfo }
  | { type: 'peer_joined'; partyId: string; peer: PeerInfo }
  | { type: 'peer_updated'; partyId: string; peer: PeerInfo }
  | { type: 'peer_left'; partyId: string; peerId: string; reason: LeaveReason }
  | { type: 'party_closed'; partyId: string; reason: CloseReason };

export interface Transition {
  /** The party after the change, or null when it no longer exists. */
  party: PartyInfo | null;
  events: PartyEvent[];
}

export interface JoinOptions {
  /** Largest party allowed; a join beyond it is refused. */
  maxPeers?: number;
}

function withPeers(party: PartyInfo, peers: Map<string, PeerInfo>): PartyInfo {
  return party.with({ peers });
}

/**
 * Two members never show the same name: one whose name another member already shows gets
 * a visible suffix ("Host (2)"), so a look-alike cannot pass for the real one.
 */
function distinctlyNamed(party: PartyInfo, peer: PeerInfo): PeerInfo {
  const taken: string[] = [];
  for (const other of party.peers.values()) {
    if (other.peerId !== peer.peerId) taken.push(other.name);
  }
  const name = uniqueMemberName(peer.name, taken);
  return name === peer.name ? peer : peer.with({ name });
}

export function createParty(partyId: string, name: string, host: PeerInfo, now: Date): Transition {
  const stamped = host.with({ lastSeen: now });
  const party = new PartyInfo({
    partyId,
    name,
    hostId: host.peerId,
    createdAt: now,
    peers: new Map([[host.peerId, stamped]]),
  });
  return { party, events: [{ type: 'party_created', party }] };
}

/** Adds a peer; a peer already in the party is refreshed instead (a rejoin after reconnect). */
export function joinParty(
  party: PartyInfo,
  peer: PeerInfo,
  now: Date,
  options: JoinOptions = {},
): Transition {
  const stamped = distinctlyNamed(party, peer).with({ lastSeen: now });
  const rejoin = party.peers.has(peer.peerId);
  if (!rejoin && party.peers.size >= (options.maxPeers ?? Number.POSITIVE_INFINITY)) {
    throw new ControlPlaneError(`Party is full (${party.peers.size} peers)`, { code: 'conflict' });
  }
  const peers = new Map(party.peers);
  peers.set(peer.peerId, stamped);
  const event: PartyEvent = rejoin
    ? { type: 'peer_updated', partyId: party.partyId, peer: stamped }
    : { type: 'peer_joined', partyId: party.partyId, peer: stamped };
  return { party: withPeers(party, peers), events: [event] };
}

/** Removes peers; the party closes when its host goes or nobody is left. */
function removePeers(
  party: PartyInfo,
  peerIds: readonly string[],
  reason: LeaveReason,
): Transition {
  const peers = new Map(party.peers);
  const events: PartyEvent[] = [];
  for (const peerId of peerIds) {
    if (!peers.delete(peerId)) continue;
    events.push({ type: 'peer_left', partyId: party.partyId, peerId, reason });
  }
  if (events.length === 0) return { party, events };
  const hostGone = !peers.has(party.hostId);
  if (hostGone || peers.size === 0) {
    const closeReason = peers.size === 0 ? CloseReason.EMPTY : CloseReason.HOST_LEFT;
    events.push({ type: 'party_closed', partyId: party.partyId, reason: closeReason });
    return { party: null, events };
  }
  return { party: withPeers(party, peers), events };
}

/** A peer leaves. Leaving a party one is not in changes nothing. */
export function leaveParty(party: PartyInfo, peerId: string): Transition {
  return removePeers(party, [peerId], LeaveReason.LEFT);
}

function requireMember(party: PartyInfo, peerId: string): PeerInfo {
  const peer = party.peers.get(peerId);
  if (!peer) {
    throw new ControlPlaneError(`Peer ${peerId} is not in party ${party.partyId}`, {
      code: 'not_found',
    });
  }
  return peer;
}

/** Replaces a member's information and refreshes its last seen time. */
export function updatePeer(party: PartyInfo, peer: PeerInfo, now: Date): Transition {
  requireMember(party, peer.peerId);
  const stamped = distinctlyNamed(party, peer).with({ lastSeen: now });
  const peers = new Map(party.peers);
  peers.set(peer.peerId, stamped);
  return {
    party: withPeers(party, peers),
    events: [{ type: 'peer_updated', partyId: party.partyId, peer: stamped }],
  };
}

/**
 * Refreshes a member's last seen time. No event: heartbeats are frequent and change
 * nothing anyone displays beyond the timestamp, which the next snapshot carries.
 */
export function heartbeat(party: PartyInfo, peerId: string, now: Date): Transition {
  const peer = requireMember(party, peerId);
  const peers = new Map(party.peers);
  peers.set(peerId, peer.with({ lastSeen: now }));
  return { party: withPeers(party, peers), events: [] };
}

/** Whether a peer has been silent longer than the timeout. */
export function isStale(peer: PeerInfo, now: Date, timeoutMs: number): boolean {
  return now.getTime() - peer.lastSeen.getTime() > timeoutMs;
}

/** Removes members silent for longer than `timeoutMs`; returns the same party object when none are. */
export function sweepParty(party: PartyInfo, now: Date, timeoutMs: number): Transition {
  const cutoff = now.getTime() - timeoutMs;
  let stale: string[] | null = null;
  for (const peer of party.peers.values()) {
    if (peer.lastSeen.getTime() < cutoff) (stale ??= []).push(peer.peerId);
  }
  if (stale) return removePeers(party, stale, LeaveReason.TIMEOUT);
  if (party.peers.size === 0) {
    return {
      party: null,
      events: [{ type: 'party_closed', partyId: party.partyId, reason: CloseReason.EMPTY }],
    };
  }
  return { party, events: [] };
}

export interface SweepResult {
  /** The parties that changed: a PartyInfo for one that shrank, null for one that closed. */
  changed: Map<string, PartyInfo | null>;
  events: PartyEvent[];
}

/** The stale sweep over every party; allocates nothing for parties that did not change. */
export function sweepParties(
  parties: ReadonlyMap<string, PartyInfo>,
  now: Date,
  timeoutMs: number,
): SweepResult {
  const changed = new Map<string, PartyInfo | null>();
  const events: PartyEvent[] = [];
  for (const [id, party] of parties) {
    const result = sweepParty(party, now, timeoutMs);
    if (result.party === party) continue;
    changed.set(id, result.party);
    events.push(...result.events);
  }
  return { changed, events };
}
