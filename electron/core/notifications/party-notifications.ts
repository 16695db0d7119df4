/**
 * How each kind of party activity is phrased in a desktop notification. The activities
 * themselves are my party's activity list (party-activity.ts: joined, left, removed, went
 * offline, back online, host changed) and, when it ends, why.
 */
import type { Phrase } from './notification-coalescer';
import { HOST_IS_ME } from './party-news';

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
  // One kind for a member the host removed and one the server timed out: the notification
  // said "after being offline" of a kick too, so it says neither.
  removed: (s) => `${who(s)} removed from the party`,
  offline: (s) => `${who(s)} went offline`,
  online: (s) => `${who(s)} back online`,
  host_changed: (s) => `${s[s.length - 1]!} is now the host`,
  [HOST_IS_ME]: () => 'You are now the host',
  // Why, as the banner says it (party-activity.ts): each says it ended, or that I was put out.
  closed: (s) => s[s.length - 1]!,
};
