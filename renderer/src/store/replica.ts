/**
 * The renderer's replica of main's state, and the pure function that applies one pushed
 * StateEvent to it. Unchanged peers keep their object identity across updates, so a
 * component selecting one peer re-renders only when that peer really changed.
 */
import type {
  ActivityEntry,
  AppState,
  DiscoveredParty,
  InvitePreview,
  Notice,
  PartyEnded,
  PartyView,
  PeerView,
  SettingsView,
  StateEvent,
} from '../../../shared/ipc/app-state';
import type { JoinRequestView, PendingJoin } from '../../../shared/ipc/access';
import type { PresenceDict } from '../../../shared/presence';
import type { ConnectionStatus } from '../../../shared/status';

export interface Replica {
  /** False until the first snapshot arrived. */
  ready: boolean;
  status: ConnectionStatus | null;
  me: PeerView | null;
  party: PartyView | null;
  discovered: DiscoveredParty[];
  settings: SettingsView | null;
  /** Things the user must be told (storage faults, clamped settings) until dismissed. */
  notices: Notice[];
  /** An invite link waiting for the user's confirmation. */
  invite: InvitePreview | null;
  /** Show the first-run welcome. */
  firstRun: boolean;
  activity: ActivityEntry[];
  ended: PartyEnded | null;
  /** My join waiting for the host. */
  pendingJoin: PendingJoin | null;
  /** As host: people waiting for me to let them in. */
  joinRequests: JoinRequestView[];
  /** The mute shortcut works in every app (else the page listens while it has the focus). */
  globalShortcuts: boolean;
}

export const EMPTY_REPLICA: Replica = {
  ready: false,
  status: null,
  me: null,
  party: null,
  discovered: [],
  settings: null,
  notices: [],
  invite: null,
  firstRun: false,
  activity: [],
  ended: null,
  pendingJoin: null,
  joinRequests: [],
  globalShortcuts: false,
};

function samePeer(a: PeerView, b: PeerView): boolean {
  return (
    a.peer_id === b.peer_id &&
    a.name === b.name &&
    a.public_key === b.public_key &&
    a.nat_type === b.nat_type &&
    a.public_ip === b.public_ip &&
    a.public_port === b.public_port &&
    a.local_ip === b.local_ip &&
    a.local_port === b.local_port &&
    a.last_seen === b.last_seen
  );
}

function sameSettings(a: PartyView['settings'], b: PartyView['settings']): boolean {
  return (
    a.max_peers === b.max_peers &&
    a.join_policy === b.join_policy &&
    a.locked === b.locked &&
    a.visibility === b.visibility &&
    a.host_migration === b.host_migration
  );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function samePresence(a: PresenceDict, b: PresenceDict): boolean {
  return a.status === b.status && a.last_seen === b.last_seen && a.rtt_ms === b.rtt_ms;
}

/** `next`'s entries, reusing `previous`'s objects where equal; `same` says if all were. */
function reuse<T>(
  previous: Record<string, T>,
  next: Record<string, T>,
  equal: (a: T, b: T) => boolean,
): { out: Record<string, T>; same: boolean } {
  const out: Record<string, T> = {};
  let same = Object.keys(previous).length === Object.keys(next).length;
  for (const [id, value] of Object.entries(next)) {
    const old = previous[id];
    if (old !== undefined && equal(old, value)) out[id] = old;
    else {
      out[id] = value;
      same = false;
    }
  }
  return { out, same };
}

/**
 * The new party, reusing the previous party's peer objects wherever they did not change.
 * Still needed for what stays a whole party: the snapshot on (re)connect or after a gap, a
 * settings or host change, and the answers to the host's own requests.
 */
export function mergeParty(previous: PartyView | null, next: PartyView | null): PartyView | null {
  if (!next) return null;
  if (!previous || previous.party_id !== next.party_id) return next;
  const peers = reuse(previous.peers, next.peers, samePeer);
  const presence = reuse(previous.presence, next.presence, samePresence);
  if (
    peers.same &&
    presence.same &&
    previous.name === next.name &&
    previous.host_id === next.host_id &&
    previous.created_at === next.created_at &&
    sameList(previous.arrival, next.arrival) &&
    sameSettings(previous.settings, next.settings)
  ) {
    return previous;
  }
  const settings = sameSettings(previous.settings, next.settings)
    ? previous.settings
    : next.settings;
  return { ...next, peers: peers.out, presence: presence.out, settings };
}

function fromSnapshot(previous: Replica, state: AppState): Replica {
  return {
    ready: true,
    status: state.status,
    me: previous.me && samePeer(previous.me, state.me) ? previous.me : state.me,
    party: mergeParty(previous.party, state.party),
    discovered: state.discovered,
    settings: state.settings,
    notices: state.notices,
    invite: state.invite,
    firstRun: state.first_run,
    activity: state.activity,
    ended: state.ended,
    pendingJoin: state.pending_join,
    joinRequests: state.join_requests,
    globalShortcuts: state.global_shortcuts,
  };
}

function withPresence(
  replica: Replica,
  partyId: string,
  peerId: string,
  presence: PresenceDict,
): Replica {
  const party = replica.party;
  if (!party || party.party_id !== partyId || !(peerId in party.peers)) return replica;
  // A presence event is sent only for a change (one per numbered event): no comparison.
  return { ...replica, party: { ...party, presence: { ...party.presence, [peerId]: presence } } };
}

function withPeer(replica: Replica, partyId: string, peer: PeerView): Replica {
  const party = replica.party;
  if (!party || party.party_id !== partyId) return replica;
  // A peer event (joined, or `peer_updated`) is a change: replace that peer, keep the others.
  const me = replica.me?.peer_id === peer.peer_id ? peer : replica.me;
  const peers = { ...party.peers, [peer.peer_id]: peer };
  const arrival = party.arrival.includes(peer.peer_id)
    ? party.arrival
    : [...party.arrival, peer.peer_id];
  return { ...replica, me, party: { ...party, peers, arrival } };
}

function withoutPeer(replica: Replica, partyId: string, peerId: string): Replica {
  const party = replica.party;
  if (!party || party.party_id !== partyId || !(peerId in party.peers)) return replica;
  const peers = { ...party.peers };
  delete peers[peerId];
  const presence = { ...party.presence };
  delete presence[peerId];
  const arrival = party.arrival.filter((id) => id !== peerId);
  return { ...replica, party: { ...party, peers, arrival, presence } };
}

export function applyStateEvent(replica: Replica, event: StateEvent): Replica {
  switch (event.type) {
    case 'snapshot':
      return fromSnapshot(replica, event.state);
    case 'status':
      return { ...replica, status: event.status };
    case 'party':
      return { ...replica, party: mergeParty(replica.party, event.party) };
    case 'peer':
      return withPeer(replica, event.party_id, event.peer);
    case 'peer_removed':
      return withoutPeer(replica, event.party_id, event.peer_id);
    case 'presence':
      return withPresence(replica, event.party_id, event.peer_id, event.presence);
    case 'activity':
      return { ...replica, activity: event.activity };
    case 'ended':
      return { ...replica, ended: event.ended };
    // Not state: voice chat and screen sharing (renderer/src/voice, screen) read the API's.
    case 'voice_signal':
    case 'screen_signal':
    case 'mute_shortcut':
      return replica;
    case 'discovered':
      return { ...replica, discovered: event.parties };
    case 'settings':
      return { ...replica, settings: event.settings };
    case 'notices':
      return { ...replica, notices: event.notices };
    case 'invite':
      return { ...replica, invite: event.invite };
    case 'first_run':
      return { ...replica, firstRun: event.first_run };
    case 'global_shortcuts':
      return { ...replica, globalShortcuts: event.global_shortcuts };
    case 'pending_join':
      return { ...replica, pendingJoin: event.pending_join };
    case 'join_requests':
      return { ...replica, joinRequests: event.join_requests };
  }
}
