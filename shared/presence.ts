/**
 * Presence: whether a party member is online (or, protocol 1.12, said its PC went to sleep),
 * when it was last heard from and its round trip to the server. The one heartbeat-health rule
 * lives here and is used by the server (who is offline), the local control plane, the tray and
 * the status bar (am I healthy).
 */
import { z } from 'zod';

export const PresenceStatus = {
  ONLINE: 'online',
  OFFLINE: 'offline',
  /**
   * 1.12: the member said its PC is going to sleep (`going_to_sleep`): silent, yet expected
   * back; its next heartbeat makes it online again, the peer timeout still removes it.
   */
  ASLEEP: 'asleep',
} as const;
export type PresenceStatus = (typeof PresenceStatus)[keyof typeof PresenceStatus];

/** Heartbeat intervals without a beat after which a member counts as offline. */
export const MISSED_BEATS_OFFLINE = 2;

/** The heartbeat-health period: how long a member stays online (a LAN host waited for) unheard. */
export function healthPeriodMs(intervalMs: number): number {
  return MISSED_BEATS_OFFLINE * intervalMs;
}

/**
 * The heartbeat-health rule: a heartbeat confirmed at `lastConfirmedMs` keeps its sender
 * healthy (online) for two heartbeat intervals.
 */
export function isHeartbeatFresh(
  lastConfirmedMs: number | null,
  now: number,
  intervalMs: number,
): boolean {
  return lastConfirmedMs !== null && now - lastConfirmedMs <= healthPeriodMs(intervalMs);
}

/** When a member last heard from at `lastSeenMs` goes offline without another beat. */
export function offlineAfter(lastSeenMs: number, intervalMs: number): number {
  return lastSeenMs + healthPeriodMs(intervalMs);
}

/** Smallest change of a member's round trip worth telling the others: 20 % and 5 ms. */
export const RTT_NOTABLE_RATIO = 0.2;
export const RTT_NOTABLE_MS = 5;

export function isNotableRttChange(told: number | null, measured: number | null): boolean {
  if (measured === null) return false;
  if (told === null) return true;
  const delta = Math.abs(measured - told);
  return delta >= RTT_NOTABLE_MS && delta >= RTT_NOTABLE_RATIO * told;
}

/** How long until a member last seen at `lastSeenMs` is removed (never below 0). */
export function removalInMs(lastSeenMs: number, now: number, peerTimeoutMs: number): number {
  return Math.max(0, lastSeenMs + peerTimeoutMs - now);
}

/** The longest round trip a client may report, in ms. */
export const MAX_RTT_MS = 60_000;
/** A round trip a client may report: whole or fractional ms, at most a minute. */
export const RttMsSchema = z.number().min(0).max(MAX_RTT_MS);

/** One member's presence on the wire (`party_update.presence[peer_id]`, `peer_status`). */
export const PresenceDictSchema = z.object({
  status: z.enum(PresenceStatus),
  /** ISO-8601; when the server last heard from the member. */
  last_seen: z.string().max(40),
  rtt_ms: RttMsSchema.nullable(),
});
export type PresenceDict = z.infer<typeof PresenceDictSchema>;

export const PresenceMapSchema = z.record(z.string(), PresenceDictSchema);
export type PresenceMap = z.infer<typeof PresenceMapSchema>;
