/**
 * Pure conversions from the control plane's model to what the UI is sent: my peer, views,
 * discovered-party summaries and state-event patches.
 */
import { networkInterfaces } from 'node:os';
import {
  AppStateSchema,
  type AppState,
  type DiscoveredParty,
  type PartyView,
  type StateEvent,
} from '../../../shared/ipc/app-state';
import type { PendingJoin } from '../../../shared/ipc/access';
import { PeerInfo, type PartyInfo } from '../../../shared/model';
import { settingsToDict } from '../../../shared/party/settings';
import type { PartyEvent } from '../../../shared/party/events';
import type { PresenceDict, PresenceMap } from '../../../shared/presence';
import { withDetail, type Logger } from '../../../shared/logger';
import type { LanParty } from '../lan/browse-cache';
import type { DiscoveredHost } from '../hosting/discovery-board';
import { pinOf } from '../client/link/pinned-tls';
import type { ControlPlaneApi } from '../types';
import type { TrayInputs } from './types';

export const WIREGUARD_PORT = 51820;

/**
 * The tray's inputs: the party on screen, its members' presence as the plane has it, and
 * whether my join waits for its host (the desk's `pendingJoin`).
 */
export function trayInputsOf(
  control: ControlPlaneApi,
  party: PartyInfo | null,
  myPeerId: string,
  desk: { pendingJoin: PendingJoin | null } = { pendingJoin: null },
): TrayInputs {
  return {
    status: control.status(),
    party,
    myPeerId,
    presence: party ? control.presenceOf(party.partyId) : new Map(),
    waiting: desk.pendingJoin !== null,
  };
}

/** This machine's peer as the app starts it. */
export function initialPeer(
  identity: { peerId: string; publicKey: string },
  name: string,
  ip: string,
  now: Date,
): PeerInfo {
  return new PeerInfo({
    peerId: identity.peerId,
    name,
    publicKey: identity.publicKey,
    natType: 'unknown',
    // No STUN yet: until NAT traversal lands, the public endpoint is the local one.
    publicIp: ip,
    publicPort: WIREGUARD_PORT,
    localIp: ip,
    localPort: WIREGUARD_PORT,
    lastSeen: now,
  });
}

export function partyView(
  party: PartyInfo | null | undefined,
  presence: ReadonlyMap<string, PresenceDict> = new Map(),
): PartyView | null {
  if (!party) return null;
  const members: PresenceMap = {};
  for (const [id, p] of presence) if (party.peers.has(id)) members[id] = p;
  return {
    ...party.toDict(),
    arrival: [...party.peers.keys()],
    presence: members,
    settings: settingsToDict(party.settings),
  };
}

/** A LAN host's online count, from the network: never more than its members. */
const onlineOf = (s: LanParty['summary']): number | null =>
  s.online_count === undefined ? null : Math.min(s.online_count, s.peer_count);

/**
 * "Parties nearby": parties hosted on this PC (discovery.json), newest first, then parties
 * found on the LAN (mDNS) by name, with those several PCs claim (`contested`: not joinable
 * from here, listed so a missing party is explained). A party listed both ways is shown
 * once, as this PC's; the party I am in is not offered again.
 */
export function nearbyList(
  thisPc: ReadonlyMap<string, PartyInfo>,
  lan: readonly LanParty[],
  myPartyId: string | null,
  contested: readonly LanParty[] = [],
  at: readonly DiscoveredHost[] = [],
): DiscoveredParty[] {
  const local = [...thisPc.values()]
    .filter((party) => party.partyId !== myPartyId)
    .map(thisPcRow)
    .sort(
      (a, b) =>
        (b.created_at ?? '').localeCompare(a.created_at ?? '') ||
        a.party_id.localeCompare(b.party_id),
    );
  const seen = new Set(local.map((p) => p.party_id));
  // As first heard (the browse cache's order), not by name and then random id: five fakes
  // named as a friend's party were listed above it, and the first Join is the one pressed.
  const remote = [
    ...lan.map((p) => lanRow(p, false)),
    ...contested.map((p) => lanRow(p, true)),
  ].filter((p) => p.party_id !== myPartyId && !seen.has(p.party_id));
  // Heard announced, it is listed as announced: the address is for networks that drop mDNS.
  for (const p of remote) seen.add(p.party_id);
  const reached = at.map(atRow).filter((p) => p.party_id !== myPartyId && !seen.has(p.party_id));
  return [...local, ...remote, ...reached];
}

const thisPcRow = (party: PartyInfo): DiscoveredParty => ({
  party_id: party.partyId,
  name: party.name,
  host_name: party.peers.get(party.hostId)?.name ?? 'unknown host',
  peer_count: party.peers.size,
  max_peers: party.settings.maxPeers,
  join_policy: party.settings.joinPolicy,
  online_count: null,
  created_at: party.createdAt.toISOString(),
  where: 'this_pc',
  address: null,
  contested: false,
  host_pin: null,
});

/** A contested party's row has no address: which claim is its host cannot be told. */
const lanRow = ({ summary, address }: LanParty, contested: boolean): DiscoveredParty => ({
  party_id: summary.party_id,
  name: summary.name,
  host_name: summary.host_name,
  peer_count: summary.peer_count,
  max_peers: summary.max_peers,
  join_policy: summary.join_policy ?? null,
  online_count: onlineOf(summary),
  created_at: null,
  where: 'lan',
  address: contested ? null : address,
  contested,
  host_pin: contested ? null : (summary.tls_sha256 ?? null),
});

/** A party found at its link's address (hosting/at-watch.ts): as its host's summary says. */
const atRow = ({ party, controlUrl, announced }: DiscoveredHost): DiscoveredParty => ({
  party_id: party.partyId,
  name: party.name,
  host_name: announced?.host_name ?? 'unknown host',
  peer_count: announced?.peer_count ?? 0,
  max_peers: announced?.max_peers ?? party.settings.maxPeers,
  join_policy: announced?.join_policy ?? null,
  online_count: null,
  created_at: null,
  where: 'lan',
  address: new URL(controlUrl).hostname,
  contested: false,
  host_pin: pinOf(controlUrl),
  at_address: true,
});

/** The presence of one member as `after` has it, as a patch (none when it has none). */
function presencePatch(after: PartyView, peerId: string): StateEvent[] {
  const presence = after.presence[peerId];
  return presence
    ? [{ type: 'presence', party_id: after.party_id, peer_id: peerId, presence }]
    : [];
}

/** The patches for one peer event: the member removed, or its record and presence now. */
function peerPatches(after: PartyView, event: PartyEvent): StateEvent[] {
  if (event.type === 'peer_left') {
    return [{ type: 'peer_removed', party_id: after.party_id, peer_id: event.peerId }];
  }
  if (event.type === 'peer_joined' || event.type === 'peer_updated') {
    const peer = after.peers[event.peer.peerId];
    return [
      ...(peer ? [{ type: 'peer' as const, party_id: after.party_id, peer }] : []),
      ...presencePatch(after, event.peer.peerId),
    ];
  }
  return event.type === 'peer_status' ? presencePatch(after, event.peerId) : [];
}

/**
 * The events that take the UI from `before` to `after` (my party): narrow peer patches
 * when only peers changed, the whole party otherwise.
 */
export function partyPatches(
  before: PartyView | null,
  after: PartyView | null,
  events: readonly PartyEvent[],
): StateEvent[] {
  if (after === null || before === null || before.party_id !== after.party_id) {
    return [{ type: 'party', party: after }];
  }
  // peer_joined, peer_updated, peer_left, peer_status: each touches one member.
  const peerOnly = events.length > 0 && events.every((e) => e.type.startsWith('peer_'));
  if (!peerOnly || before.name !== after.name || before.host_id !== after.host_id) {
    return [{ type: 'party', party: after }];
  }
  return events.flatMap((event) => peerPatches(after, event));
}

/** This machine's first non-internal IPv4 address (loopback when there is none). */
export function localIpv4(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}

/**
 * The state the UI is shown, checked before it goes: the renderer validates it whole, and one
 * entry breaking the schema (a preview built from a LAN host's announcement once carried an
 * empty host name) made `getState` fail and left the window blank. An entry of a list, or an
 * optional part, that breaks the schema is left out instead, and said in the log; the rest of
 * the state is shown as it is.
 */
const LISTS = ['discovered', 'notices', 'activity', 'join_requests'] as const;
const OPTIONAL = ['invite', 'ended', 'pending_join'] as const;
type ListKey = (typeof LISTS)[number];
type OptionalKey = (typeof OPTIONAL)[number];
const LEFT_OUT = 'The state shown leaves out what breaks its schema';

/** The entries of `list` (the state's `key`) its schema takes; `dropped` names the others. */
function keptOf<K extends ListKey>(key: K, list: AppState[K], dropped: string[]): AppState[K] {
  const entry = AppStateSchema.shape[key].element;
  return list.filter((item, i) => {
    const ok = entry.safeParse(item).success;
    if (!ok) dropped.push(`${key}[${i}]`);
    return ok;
  }) as AppState[K];
}

/** `value` (the state's `key`), or null when its schema refuses it (said in `dropped`). */
function orNull<K extends OptionalKey>(key: K, value: AppState[K], dropped: string[]): AppState[K] {
  if (value === null || AppStateSchema.shape[key].safeParse(value).success) return value;
  dropped.push(key);
  return null;
}

/** `logger` is warned what was left out: `discovered[2]`, `invite`… */
export function salvageState(state: AppState, logger: Logger): AppState {
  if (AppStateSchema.safeParse(state).success) return state;
  const fixed: Record<string, unknown> = { ...state };
  const dropped: string[] = [];
  for (const key of LISTS) fixed[key] = keptOf(key, state[key], dropped);
  for (const key of OPTIONAL) fixed[key] = orNull(key, state[key], dropped);
  logger.warn(withDetail(LEFT_OUT, dropped));
  return fixed as AppState;
}

/**
 * The same for a state event carrying one of those parts: the renderer drops an event its
 * schema refuses, and one bad entry would have frozen Parties nearby (or the notices) on the
 * last list it took.
 */
export function salvageEvent(event: StateEvent, logger: Logger): StateEvent {
  const dropped: string[] = [];
  const fixed = salvagedEvent(event, dropped);
  if (dropped.length === 0) return event;
  logger.warn(withDetail(LEFT_OUT, dropped));
  return fixed;
}

function salvagedEvent(event: StateEvent, dropped: string[]): StateEvent {
  switch (event.type) {
    case 'discovered':
      return { ...event, parties: keptOf('discovered', event.parties, dropped) };
    case 'notices':
      return { ...event, notices: keptOf('notices', event.notices, dropped) };
    case 'activity':
      return { ...event, activity: keptOf('activity', event.activity, dropped) };
    case 'join_requests':
      return { ...event, join_requests: keptOf('join_requests', event.join_requests, dropped) };
    case 'invite':
      return { ...event, invite: orNull('invite', event.invite, dropped) };
    case 'ended':
      return { ...event, ended: orNull('ended', event.ended, dropped) };
    case 'pending_join':
      return { ...event, pending_join: orNull('pending_join', event.pending_join, dropped) };
    default:
      return event;
  }
}
