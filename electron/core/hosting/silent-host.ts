/**
 * How long a LAN guest waits for its host's link gone silent. A host whose PC said it was going
 * to sleep (protocol 1.12: its member `asleep`) is waited for as long as its server keeps
 * silent members. One that did not say so lost power, froze or crashed: it is waited for one
 * heartbeat-health period (the time that calls a member offline, shared/presence.ts), not the
 * whole peer timeout (5 min by default) its guests waited before.
 */
import type { PartyInfo } from '../../../shared/model';
import { healthPeriodMs, PresenceStatus, type PresenceDict } from '../../../shared/presence';
import type { ServerIntervals } from '../client/sync/answers';
import { CLOSE_SILENT } from '../client/link/ws-client';

/** How long a link closed with `code` waits for its host (0: a link not gone silent). */
export function silentPatienceMs(
  code: number,
  asleep: boolean,
  intervals: ServerIntervals,
): number {
  if (code !== CLOSE_SILENT) return 0;
  return asleep ? intervals.peerTimeoutMs : healthPeriodMs(intervals.heartbeatIntervalMs);
}

/** Whether the party's host was last said to be asleep (no party: no). */
export function hostSaidAsleep(
  party: PartyInfo | undefined,
  presence: ReadonlyMap<string, PresenceDict>,
): boolean {
  return party !== undefined && presence.get(party.hostId)?.status === PresenceStatus.ASLEEP;
}
