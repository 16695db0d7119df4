/**
 * What in my party deserves a desktop notification, as generic activities for the
 * coalescer, and how each kind is phrased. New kinds (presence: went offline, back online,
 * host changed) add an entry to PARTY_PHRASES and emit activities of that kind.
 */
import type { PartyView } from '../../shared/ipc';
import type { PartyEvent } from '../../shared/party-transitions';
import type { PartyActivity, Phrase } from './notification-coalescer';

/** Seconds between two notifications about the same party, at most. */
export const NOTIFICATION_WINDOW_MS = 5000;

/** "Ann", "Ann and Bob", "3 players" (a long list is counted, not spelled out). */
export function who(subjects: readonly string[]): string {
  if (subjects.length === 1) return subjects[0]!;
  if (subjects.length === 2) return `${subjects[0]!} and ${subjects[1]!}`;
  return `${subjects.length} players`;
}

export const PARTY_PHRASES: Readonly<Record<string, Phrase>> = {
  joined: (s) => `${who(s)} joined`,
  left: (s) => `${who(s)} left`,
  timed_out: (s) => `${who(s)} left (no heartbeat)`,
  closed: (s) => `Party closed: ${s[s.length - 1]!}`,
};

/** Other people arriving and leaving, and my party closing. */
export function partyActivities(
  before: PartyView | null,
  events: readonly PartyEvent[],
  myPeerId: string,
): PartyActivity[] {
  if (before === null) return [];
  const about = (kind: string, subject: string): PartyActivity => ({
    partyId: before.party_id,
    partyName: before.name,
    kind,
    subject,
  });
  const out: PartyActivity[] = [];
  for (const event of events) {
    if (event.type === 'peer_joined' && event.peer.peerId !== myPeerId) {
      if (!before.peers[event.peer.peerId]) out.push(about('joined', event.peer.name));
    } else if (event.type === 'peer_left' && event.peerId !== myPeerId) {
      const name = before.peers[event.peerId]?.name ?? event.peerId;
      out.push(about(event.reason === 'timeout' ? 'timed_out' : 'left', name));
    } else if (event.type === 'party_closed') {
      out.push(about('closed', event.reason === 'host_left' ? 'the host left' : 'everyone left'));
    }
  }
  return out;
}
