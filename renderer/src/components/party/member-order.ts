import type { PeerView } from '../../../../shared/ipc/app-state';

const byName = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * The order of the member list: the host first, then members online, then by name
 * (case- and accent-insensitive, "Player 2" before "Player 10"), ties by peer id so the
 * order never flickers between two renders.
 */
export function sortMemberIds(
  peers: Readonly<Record<string, PeerView>>,
  hostId: string,
  isOnline: (peer: PeerView) => boolean,
): string[] {
  const rank = (peer: PeerView): number => (peer.peer_id === hostId ? 0 : isOnline(peer) ? 1 : 2);
  return Object.values(peers)
    .map((peer) => ({ peer, rank: rank(peer) }))
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        byName.compare(a.peer.name, b.peer.name) ||
        (a.peer.peer_id < b.peer.peer_id ? -1 : a.peer.peer_id > b.peer.peer_id ? 1 : 0),
    )
    .map(({ peer }) => peer.peer_id);
}
