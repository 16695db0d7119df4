/**
 * The renderer's replica of main's state, and the pure function that applies one pushed
 * StateEvent to it. Unchanged peers keep their object identity across updates, so a
 * component selecting one peer re-renders only when that peer really changed.
 */
import type {
  AppState,
  DiscoveredParty,
  InvitePreview,
  Notice,
  PartyView,
  PeerView,
  Settings,
  StateEvent,
} from '../../../shared/ipc';
import type { ConnectionStatus } from '../../../shared/status';

export interface Replica {
  /** False until the first snapshot arrived. */
  ready: boolean;
  status: ConnectionStatus | null;
  me: PeerView | null;
  party: PartyView | null;
  discovered: DiscoveredParty[];
  settings: Settings | null;
  /** Seconds of silence after which the core drops a peer. */
  peerTimeout: number;
  /** Things the user must be told (storage faults, clamped settings) until dismissed. */
  notices: Notice[];
  /** An invite link waiting for the user's confirmation. */
  invite: InvitePreview | null;
  /** Show the first-run welcome. */
  firstRun: boolean;
}

export const EMPTY_REPLICA: Replica = {
  ready: false,
  status: null,
  me: null,
  party: null,
  discovered: [],
  settings: null,
  peerTimeout: 300,
  notices: [],
  invite: null,
  firstRun: false,
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

/** The new party, reusing the previous party's peer objects wherever they did not change. */
export function mergeParty(previous: PartyView | null, next: PartyView | null): PartyView | null {
  if (!next) return null;
  if (!previous || previous.party_id !== next.party_id) return next;
  const peers: Record<string, PeerView> = {};
  let identical = Object.keys(previous.peers).length === Object.keys(next.peers).length;
  for (const [id, peer] of Object.entries(next.peers)) {
    const old = previous.peers[id];
    if (old && samePeer(old, peer)) {
      peers[id] = old;
    } else {
      peers[id] = peer;
      identical = false;
    }
  }
  if (
    identical &&
    previous.name === next.name &&
    previous.host_id === next.host_id &&
    previous.created_at === next.created_at
  ) {
    return previous;
  }
  return { ...next, peers };
}

function fromSnapshot(previous: Replica, state: AppState): Replica {
  return {
    ready: true,
    status: state.status,
    me: previous.me && samePeer(previous.me, state.me) ? previous.me : state.me,
    party: mergeParty(previous.party, state.party),
    discovered: state.discovered,
    settings: state.settings,
    peerTimeout: state.peer_timeout,
    notices: state.notices,
    invite: state.invite,
    firstRun: state.first_run,
  };
}

function withPeer(replica: Replica, partyId: string, peer: PeerView): Replica {
  const party = replica.party;
  if (!party || party.party_id !== partyId) return replica;
  const old = party.peers[peer.peer_id];
  if (old && samePeer(old, peer)) return replica;
  const me = replica.me?.peer_id === peer.peer_id ? peer : replica.me;
  return { ...replica, me, party: { ...party, peers: { ...party.peers, [peer.peer_id]: peer } } };
}

function withoutPeer(replica: Replica, partyId: string, peerId: string): Replica {
  const party = replica.party;
  if (!party || party.party_id !== partyId || !(peerId in party.peers)) return replica;
  const peers = { ...party.peers };
  delete peers[peerId];
  return { ...replica, party: { ...party, peers } };
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
  }
}
