/**
 * The one implementation of party semantics, shared by the local control plane and the
 * control server. Every function is pure: it takes a party and returns the new party (or
 * null once the party is gone) with the events to emit; callers own storage and fan-out.
 */
import { ControlPlaneError } from '../protocol/errors';
import { PartyInfo, type PeerInfo } from '../model';
import { withDefaults, type PartySettings } from './settings';
import { isFull } from './summary';
import { uniqueMemberName } from '../values/names';
import type { PresenceDict } from '../presence';

import {
  CloseReason,
  HostChangeReason,
  LeaveReason,
  type PartyEvent,
  type Transition,
} from './events';

export interface JoinOptions {
  /** Largest party allowed; a join beyond it is refused. */
  maxPeers?: number;
  /** A new member's presence when it comes in not online (1.5: let in while its app was closed). */
  presence?: PresenceDict;
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

export function createParty(
  partyId: string,
  name: string,
  host: PeerInfo,
  now: Date,
  settings?: Partial<PartySettings>,
): Transition {
  const stamped = host.with({ lastSeen: now });
  const party = new PartyInfo({
    partyId,
    name,
    hostId: host.peerId,
    createdAt: now,
    peers: new Map([[host.peerId, stamped]]),
    settings: withDefaults(settings),
  });
  return { party, events: [{ type: 'party_created', party }] };
}

const presenceOf = ({ presence }: JoinOptions) => (presence ? { presence } : {});

/** Adds a peer; a peer already in the party is refreshed instead (a rejoin after reconnect). */
export function joinParty(
  party: PartyInfo,
  peer: PeerInfo,
  now: Date,
  options: JoinOptions = {},
): Transition {
  const stamped = distinctlyNamed(party, peer).with({ lastSeen: now });
  const rejoin = party.peers.has(peer.peerId);
  if (!rejoin && isFull(party.peers.size, options.maxPeers ?? Number.POSITIVE_INFINITY)) {
    throw new ControlPlaneError(`Party is full (${party.peers.size} peers)`, {
      code: 'party_full',
    });
  }
  const peers = new Map(party.peers);
  peers.set(peer.peerId, stamped);
  const event: PartyEvent = rejoin
    ? { type: 'peer_updated', partyId: party.partyId, peer: stamped }
    : { type: 'peer_joined', partyId: party.partyId, peer: stamped, ...presenceOf(options) };
  return { party: withPeers(party, peers), events: [event] };
}

/**
 * Who may take over as host: the online members, longest present first (successorOrder in
 * successors.ts, from the caller's presence and join order: the server's presence table).
 * Only iterated when the host goes with hand-over on, so a caller may compute it lazily.
 */
export type Successors = Iterable<string>;

function firstWhere(ids: Successors, keep: (id: string) => boolean): string | undefined {
  for (const id of ids) if (keep(id)) return id;
  return undefined;
}

/**
 * Removes peers. When the host goes, the party is handed to the first remaining successor
 * if the host chose hand-over, and closes otherwise; it also closes when nobody is left.
 */
function removePeers(
  party: PartyInfo,
  peerIds: readonly string[],
  reason: LeaveReason,
  successors: Successors = [],
): Transition {
  const peers = new Map(party.peers);
  const events: PartyEvent[] = [];
  for (const peerId of peerIds) {
    if (!peers.delete(peerId)) continue;
    events.push({ type: 'peer_left', partyId: party.partyId, peerId, reason });
  }
  if (events.length === 0) return { party, events };
  const { partyId } = party;
  if (peers.size === 0) {
    events.push({ type: 'party_closed', partyId, reason: CloseReason.EMPTY });
    return { party: null, events };
  }
  if (peers.has(party.hostId)) return { party: withPeers(party, peers), events };
  const heir = party.settings.hostMigration
    ? firstWhere(successors, (id) => peers.has(id))
    : undefined;
  if (heir === undefined) {
    const closeReason =
      reason === LeaveReason.TIMEOUT ? CloseReason.TIMEOUT : CloseReason.HOST_LEFT;
    events.push({ type: 'party_closed', partyId, reason: closeReason });
    return { party: null, events };
  }
  const hostReason =
    reason === LeaveReason.TIMEOUT ? HostChangeReason.HOST_OFFLINE : HostChangeReason.HOST_LEFT;
  events.push({ type: 'host_changed', partyId, hostId: heir, reason: hostReason });
  return { party: party.with({ peers, hostId: heir }), events };
}

/**
 * A peer leaves. Leaving a party one is not in changes nothing. `successors` matter only
 * when the host leaves a party with hand-over on.
 */
export function leaveParty(party: PartyInfo, peerId: string, successors?: Successors): Transition {
  return removePeers(party, [peerId], LeaveReason.LEFT, successors);
}

function requireHost(party: PartyInfo, peerId: string): void {
  if (party.hostId !== peerId) {
    throw new ControlPlaneError(`Only the host of ${party.partyId} may do that`, {
      code: 'forbidden',
    });
  }
}

/** The host makes another member host. */
export function transferHost(party: PartyInfo, fromPeerId: string, toPeerId: string): Transition {
  requireHost(party, fromPeerId);
  requireMember(party, toPeerId);
  if (toPeerId === fromPeerId) return { party, events: [] };
  return {
    party: party.with({ hostId: toPeerId }),
    events: [
      {
        type: 'host_changed',
        partyId: party.partyId,
        hostId: toPeerId,
        reason: HostChangeReason.TRANSFER,
      },
    ],
  };
}

/**
 * The host has been offline too long: with hand-over on, the first successor becomes host
 * (the old host stays an ordinary member). Otherwise, or with nobody online, nothing changes.
 */
export function migrateOfflineHost(party: PartyInfo, successors: Successors): Transition {
  if (!party.settings.hostMigration) return { party, events: [] };
  const heir = firstWhere(successors, (id) => id !== party.hostId && party.peers.has(id));
  if (heir === undefined) return { party, events: [] };
  return {
    party: party.with({ hostId: heir }),
    events: [
      {
        type: 'host_changed',
        partyId: party.partyId,
        hostId: heir,
        reason: HostChangeReason.HOST_OFFLINE,
      },
    ],
  };
}

function ended(party: PartyInfo, reason: CloseReason): Transition {
  const event: PartyEvent = { type: 'party_closed', partyId: party.partyId, reason };
  return { party: null, events: [event] };
}

/** The host ends the party for everyone. */
export function closeParty(party: PartyInfo, byPeerId: string): Transition {
  requireHost(party, byPeerId);
  return ended(party, CloseReason.CLOSED_BY_HOST);
}

/**
 * The server's operator ends the party for everyone (moderation): as when its host does,
 * with its own reason, and no host check, as the operator is no member.
 */
export function endPartyByOperator(party: PartyInfo): Transition {
  return ended(party, CloseReason.ENDED_BY_SERVER);
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

/** When a member was last heard from (epoch ms); the server reads its presence table. */
export type LastSeenOf = (party: PartyInfo, peer: PeerInfo) => number;
const ownLastSeen: LastSeenOf = (_party, peer) => peer.lastSeen.getTime();

export interface SweepOptions {
  lastSeenOf?: LastSeenOf;
  successors?: (party: PartyInfo) => Successors;
}

/**
 * Removes members silent for longer than `timeoutMs`; returns the same party object when none are.
 */
export function sweepParty(
  party: PartyInfo,
  now: Date,
  timeoutMs: number,
  options: SweepOptions = {},
): Transition {
  const cutoff = now.getTime() - timeoutMs;
  const lastSeenOf = options.lastSeenOf ?? ownLastSeen;
  let stale: string[] | null = null;
  for (const peer of party.peers.values()) {
    if (lastSeenOf(party, peer) < cutoff) (stale ??= []).push(peer.peerId);
  }
  if (stale) {
    return removePeers(party, stale, LeaveReason.TIMEOUT, options.successors?.(party) ?? []);
  }
  if (party.peers.size === 0) {
    return {
      party: null,
      events: [{ type: 'party_closed', partyId: party.partyId, reason: CloseReason.EMPTY }],
    };
  }
  return { party, events: [] };
}

export interface SweepResult {
  /**
   * Each party that changed, with its own events (its party null when it closed): a caller
   * applying them party by party need not pick a party's events out of all of them, which
   * made a sweep timing out thousands of parties together quadratic.
   */
  changed: Map<string, Transition>;
  /** Every party's events, in order. */
  events: PartyEvent[];
}

/** The stale sweep over every party; allocates nothing for parties that did not change. */
export function sweepParties(
  parties: ReadonlyMap<string, PartyInfo>,
  now: Date,
  timeoutMs: number,
  options: SweepOptions = {},
): SweepResult {
  const changed = new Map<string, Transition>();
  const events: PartyEvent[] = [];
  for (const [id, party] of parties) {
    const result = sweepParty(party, now, timeoutMs, options);
    if (result.party === party) continue;
    changed.set(id, result);
    events.push(...result.events);
  }
  return { changed, events };
}
