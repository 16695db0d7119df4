/**
 * What a member row says about presence. The status is the server's (or, in local mode,
 * derived from last seen by the same rule); while this app cannot see the server, nobody
 * else's status is known, and my own is what my heartbeat says.
 */
import { HEARTBEAT_INTERVAL } from '../../../../shared/time/intervals';
import { isHeartbeatFresh, removalInMs, type PresenceDict } from '../../../../shared/presence';
import {
  memberPresence,
  type ConnectionStatus,
  type MemberPresence,
  type MemberPresenceInputs,
} from '../../../../shared/status';
import { formatElapsed } from '../../store/clock';

export type RowPresence = MemberPresence;
export type PresenceInputs = MemberPresenceInputs;

/** A row shows the one rule the tray counts by (shared/status.ts memberPresence). */
export const rowPresence = memberPresence;

/**
 * The "last seen" a row shows (epoch ms on this PC's clock). While the status is unknown
 * (this app lost the server), a member the server last called online was seen when the
 * server last answered this app, not at its last status change (presence's last_seen): a
 * server lost seconds ago made a member online all along read "2 min ago".
 */
export function shownLastSeen(
  state: RowPresence,
  input: Pick<PresenceInputs, 'status' | 'presence' | 'lastSeen' | 'isMe' | 'myConfirmedAt'>,
): number | null {
  if (state !== 'unknown') return input.lastSeen;
  const heard = input.isMe
    ? input.myConfirmedAt
    : input.presence?.status === 'online'
      ? othersVouchedAt(input.status)
      : null;
  if (heard === null) return input.lastSeen;
  return input.lastSeen === null ? heard : Math.max(input.lastSeen, heard);
}

/**
 * When the server last vouched for the members it calls online. A host cut off from its LAN
 * hears its own server on loopback all along: its guests were last heard when their links were.
 */
function othersVouchedAt(status: ConnectionStatus | null): number | null {
  const cutOff = status?.lanCutOff;
  return cutOff ? cutOff.heardAt : (status?.lastHeartbeatAt ?? null);
}

function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min`;
}

/**
 * "offline for 2 min, removed in 3 min" (from when the member was last seen): the time
 * offline counts as the row's "last seen … ago" does. `word`: "asleep" for a member whose PC
 * said it went to sleep (protocol 1.12), removed all the same if it does not wake in time.
 */
export function offlineText(
  lastSeen: number | null,
  now: number,
  peerTimeoutMs: number,
  word: 'offline' | 'asleep' = 'offline',
): string {
  if (lastSeen === null) return word;
  const removal = removalInMs(lastSeen, now, peerTimeoutMs);
  const gone = removal === 0 ? 'removal due' : `removed in ${duration(removal)}`;
  return `${word} for ${formatElapsed(now - lastSeen)}, ${gone}`;
}

export function pingText(rttMs: number | null | undefined): string | null {
  return rttMs === null || rttMs === undefined ? null : `${Math.round(rttMs)} ms`;
}

export const PRESENCE_LABEL: Record<RowPresence, string> = {
  online: 'online',
  offline: 'offline',
  asleep: 'asleep',
  unknown: 'status unknown',
};

/**
 * Whether a member counts as online for ordering the list: the server's word, or (a 1.0
 * server, no presence) its last heartbeat by the one rule.
 */
export function listedOnline(
  presence: PresenceDict | undefined,
  lastSeen: number | null,
  status: ConnectionStatus | null,
  now: number,
): boolean {
  if (presence) return presence.status === 'online';
  const intervalMs = status?.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL.defaultSeconds * 1000;
  return isHeartbeatFresh(lastSeen, now, intervalMs);
}

export const PRESENCE_MARK: Record<RowPresence, string> = {
  online: '●',
  offline: '○',
  asleep: '☾',
  unknown: '?',
};
