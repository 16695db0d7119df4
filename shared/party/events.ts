/**
 * What a party transition says happened (shared/party/transitions.ts): the events the
 * server numbers and fans out, and the app applies once each, with their reasons.
 */
import type { PartyInfo, PeerInfo } from '../model';
import type { PresenceDict } from '../presence';
import type { PartySettings } from './settings';

export const CloseReason = {
  /** The host left (without hand-over). */
  HOST_LEFT: 'host_left',
  /** The host ended the party for everyone. */
  CLOSED_BY_HOST: 'closed_by_host',
  /**
   * The server's operator ended it (moderation, `POST /admin/parties/<id>/end`). Apps that
   * predate it take an unknown reason as the host leaving (electron/core/client/sync/push.ts).
   */
  ENDED_BY_SERVER: 'ended_by_server',
  EMPTY: 'empty',
  /**
   * The app serving it without a server quit, after handing the party over: its host is
   * someone else, who did not leave. Apps that predate it take it as the host leaving.
   */
  SERVER_LEFT: 'server_left',
  /**
   * The app's own, never on the wire: my LAN host's link went silent without its PC saying it
   * was going to sleep, and it did not answer for a heartbeat-health period (crashed, lost
   * power). Ends the party as `host_left` does, in other words.
   */
  HOST_SILENT: 'host_silent',
  /** The host was removed after being offline for the peer timeout. */
  TIMEOUT: 'timeout',
  // Told only to the member it happened to (issue 10), never a party_closed on the wire.
  /** The host removed me. */
  KICKED: 'kicked',
  /** The host removed and banned me. */
  BANNED: 'banned',
  /** I was away, and the party would not let me back in (locked, full, a password…). */
  REFUSED: 'refused',
  /** My app could not host my party again when it started (local mode): nobody serves it. */
  NOT_HOSTED_AGAIN: 'not_hosted_again',
  /** I was away, and the server now gives my peer id to another session or installation. */
  ID_TAKEN: 'id_taken',
} as const;
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

export const LeaveReason = {
  LEFT: 'left',
  TIMEOUT: 'timeout',
  /** The host removed the member (issue 10). */
  KICKED: 'kicked',
  /**
   * The host removed and banned the member: every peer id the ban removes (its key's others
   * too). Said on the wire (1.11) only to that host; the other members are told `kicked`
   * (server/party/fanout.ts). An older server says `kicked` to the host too, whose app then
   * knows the one id it named (electron/core/client/sync/push.ts).
   */
  BANNED: 'banned',
} as const;
export type LeaveReason = (typeof LeaveReason)[keyof typeof LeaveReason];

export const HostChangeReason = {
  TRANSFER: 'transfer',
  HOST_LEFT: 'host_left',
  HOST_OFFLINE: 'host_offline',
} as const;
export type HostChangeReason = (typeof HostChangeReason)[keyof typeof HostChangeReason];

export type PartyEvent =
  | { type: 'party_created'; party: PartyInfo }
  /**
   * `presence` (1.5) when the member came in not online: let in by the host while its app
   * was closed. Without it a new member is online.
   */
  | { type: 'peer_joined'; partyId: string; peer: PeerInfo; presence?: PresenceDict }
  | { type: 'peer_updated'; partyId: string; peer: PeerInfo }
  | { type: 'peer_left'; partyId: string; peerId: string; reason: LeaveReason }
  | { type: 'party_closed'; partyId: string; reason: CloseReason }
  | { type: 'host_changed'; partyId: string; hostId: string; reason: HostChangeReason }
  /** The host changed the party's settings (issue 10): the settings as they are now. */
  | { type: 'settings_changed'; partyId: string; settings: PartySettings }
  /**
   * Presence is soft state kept beside the party (server/presence/presence-table.ts), never in it.
   */
  | { type: 'peer_status'; partyId: string; peerId: string; presence: PresenceDict };

export interface Transition {
  /** The party after the change, or null when it no longer exists. */
  party: PartyInfo | null;
  events: PartyEvent[];
}
