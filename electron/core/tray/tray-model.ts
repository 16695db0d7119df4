/**
 * The tray icon as a heartbeat indicator: which of four icons to show and what the tooltip
 * says. Pure, so the rules are tested without a tray.
 */
import type { PartyInfo, PeerInfo } from '../../../shared/model';
import type { PresenceDict } from '../../../shared/presence';
import {
  HeartbeatHealth,
  heartbeatHealth,
  lastConfirmedAt,
  memberPresence,
  serverTimeToLocal,
  type ConnectionStatus,
} from '../../../shared/status';
import { parseTimestamp } from '../../../shared/time/timestamp';
import { statusText, type PartyStanding } from '../../../shared/status-words';

/** The icon is the heartbeat's health, by the one rule the status bar's dot uses too. */
export const TrayIcon = HeartbeatHealth;
export type TrayIcon = HeartbeatHealth;

export const TRAY_ICONS: readonly TrayIcon[] = Object.values(TrayIcon);

export interface TrayIndicator {
  icon: TrayIcon;
  tooltip: string;
}

/** Windows truncates tray tooltips at 127 characters; cut them ourselves, visibly. */
export const MAX_TOOLTIP = 127;

export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}

/** The status bar's words (shared/status-words.ts), so the tray never says something else. */
function connectionText(status: ConnectionStatus, standing: PartyStanding): string {
  return statusText(status, standing);
}

/** A member's last beat as its row reads it: the server's presence, else its dict's. */
function lastSeenOf(status: ConnectionStatus, peer: PeerInfo, presence?: PresenceDict): number {
  const told = presence ? parseTimestamp(presence.last_seen)?.getTime() : undefined;
  return serverTimeToLocal(told ?? peer.lastSeen.getTime(), status);
}

/**
 * "3 of 4 online": the members whose rows say online (memberPresence, the rows' one rule);
 * "? of 4" while their rows all say unknown (this app cannot see the server, or its beats
 * go unanswered).
 */
export function onlineText(
  status: ConnectionStatus,
  party: PartyInfo,
  presence: ReadonlyMap<string, PresenceDict>,
  me: { peerId: string; confirmedAt: number | null },
  now: number,
): string {
  const total = party.peers.size;
  let online = 0;
  let known = 0;
  for (const [id, peer] of party.peers) {
    const told = presence.get(id);
    const state = memberPresence(
      {
        status,
        presence: told,
        lastSeen: lastSeenOf(status, peer, told),
        isMe: id === me.peerId,
        myConfirmedAt: me.confirmedAt,
      },
      now,
    );
    if (state !== 'unknown') known++;
    if (state === 'online') online++;
  }
  return known === 0 ? `? of ${total} online` : `${online} of ${total} online`;
}

function heartbeatText(status: ConnectionStatus, confirmedAt: number | null, now: number): string {
  if (confirmedAt === null) return 'no heartbeat yet';
  const rtt =
    status.lastHeartbeatRttMs === null
      ? ''
      : `, ${Math.round(status.lastHeartbeatRttMs)} ms round trip`;
  return `heartbeat ${formatAge(now - confirmedAt)}${rtt}`;
}

function clip(text: string): string {
  return text.length <= MAX_TOOLTIP ? text : `${text.slice(0, MAX_TOOLTIP - 1)}…`;
}

/** `waiting`: out of a party, my join waits for its host to let me in. */
export function trayIndicator(
  status: ConnectionStatus,
  party: PartyInfo | null,
  myPeerId: string,
  now: number,
  presence: ReadonlyMap<string, PresenceDict> = new Map(),
  waiting = false,
): TrayIndicator {
  const standing = party !== null ? 'member' : waiting ? 'waiting' : 'none';
  const connection = connectionText(status, standing);
  if (party === null) {
    const icon = heartbeatHealth(status, false, null, now);
    return { icon, tooltip: clip(`LANrage: not in a party (${connection})`) };
  }
  const confirmedAt = lastConfirmedAt(
    status,
    party.peers.get(myPeerId)?.lastSeen.getTime() ?? null,
  );
  const icon = heartbeatHealth(status, true, confirmedAt, now);
  const online = onlineText(status, party, presence, { peerId: myPeerId, confirmedAt }, now);
  const heartbeat = heartbeatText(status, confirmedAt, now);
  return {
    icon,
    tooltip: clip(`LANrage: ${party.name}, ${online}, ${heartbeat} (${connection})`),
  };
}
