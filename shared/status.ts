import { z } from 'zod';
import { CertificatePinSchema, HostAddressesSchema } from './lan-party';
import { isHeartbeatFresh, type PresenceDict } from './presence';
import { MAX_PORT } from './values/port';

/** A party this app's embedded server serves for someone else, by name and its host's. */
export const ServedPartySchema = z.object({
  party: z.string().max(256),
  host: z.string().max(256),
});
export type ServedParty = z.infer<typeof ServedPartySchema>;

/** Where the control plane stands with its server; what the status bar and tray show. */
export const ConnectionState = {
  /** Local mode by configuration: no control server. */
  LOCAL: 'local',
  CONNECTING: 'connecting',
  CONNECTED: 'connected',
  /** Lost the server; `reconnectAttempt` of `maxReconnectAttempts` under way. */
  RECONNECTING: 'reconnecting',
  /** Gave up on the server and fell back to local mode; probing in the background. */
  OFFLINE: 'offline',
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

export const ConnectionStatusSchema = z.object({
  state: z.enum(ConnectionState),
  serverUrl: z.string().nullable(),
  reconnectAttempt: z.number().int().min(0),
  maxReconnectAttempts: z.number().int().min(0),
  /** Epoch ms of the last heartbeat the server acknowledged (remote) or recorded (local). */
  lastHeartbeatAt: z.number().nullable(),
  /** Round trip of that heartbeat, ms; null in local mode. */
  lastHeartbeatRttMs: z.number().nullable(),
  heartbeatIntervalMs: z.number().positive(),
  /**
   * How long a member may stay silent before it is removed, ms: what the server we are linked
   * to announced (each server has its own), else this app's setting. Rows count down to it.
   */
  peerTimeoutMs: z.number().positive(),
  /** Whether this control plane ever reached its server: "can't reach" vs "check the address". */
  everConnected: z.boolean(),
  /**
   * The linked server's clock minus this PC's, ms (absent: 0). The server's dates (last seen,
   * expiries) are on its clock; the UI reads them against `now + serverClockOffsetMs`.
   */
  serverClockOffsetMs: z.number().optional(),
  /** Wait between reconnect attempts, ms; null in local mode. */
  retryDelayMs: z.number().int().min(0).nullable(),
  /**
   * This app's embedded server, while it hosts parties without a server (local mode, or
   * offline): its port, and whether it listens on the LAN (else this PC only).
   */
  localServer: z
    .object({
      port: z.number().int().min(1).max(MAX_PORT),
      lan: z.boolean(),
      /**
       * The parties it serves for another host (handed over: they run here until this app
       * quits), by name and their host's name: why it still listens (absent: none).
       */
      servedFor: z.array(ServedPartySchema).max(64).optional(),
    })
    .nullable()
    .optional(),
  /**
   * Whether a party this app hosts without a server is open to the LAN (`lan_listen`), so the
   * words for who can join are true before it hosts anything. Absent: this PC only.
   */
  lanListen: z.boolean().optional(),
  /**
   * The app hosting my party on the LAN went silent (asleep, its network gone), and this app
   * waits for it (absent: false). Meanwhile nobody else's status is known.
   */
  hostAway: z.boolean().optional(),
  /**
   * While waiting for that host: it said its PC was going to sleep (protocol 1.12), so it is
   * waited for as long as its server keeps silent members, not one heartbeat-health period
   * (absent: false).
   */
  hostAsleep: z.boolean().optional(),
  /**
   * While waiting for that host: this PC has no network to reach it by (no route: its cable
   * out, its Wi-Fi dropped), so it is this PC, not the host, that is away (absent: false).
   */
  noNetwork: z.boolean().optional(),
  /**
   * The linked server has not answered a ping (its machine frozen or gone, the network
   * dropped without a word), and the link ends if it stays silent (absent: false). Meanwhile
   * nobody else's status is known (electron/core/client/link/link-liveness.ts). Cleared when the
   * server is heard again or a new link is made (reconnecting, the state says enough).
   */
  serverQuiet: z.boolean().optional(),
  /**
   * This app serves parties on the LAN and is cut off from it: this PC has no network
   * (`no_network`: no IPv4 address beyond loopback; its cable out, its Wi-Fi dropped), or
   * every other online member's link has been silent past the liveness deadline (`silent`).
   * `heardAt`: when the last of those links was heard (epoch ms; null: nobody else online).
   * Meanwhile nobody else's status is known: its own server's word about them is stale
   * (absent: not cut off). See electron/core/hosting/lan-cut-off.ts.
   */
  lanCutOff: z
    .object({ reason: z.enum(['no_network', 'silent']), heardAt: z.number().nullable() })
    .optional(),
  /**
   * LAN discovery's sends keep failing here (a firewall dropping multicast, no route): nobody
   * nearby hears this PC's queries or announcements (absent: false). See
   * electron/core/lan/send-health.ts.
   */
  lanBlocked: z.boolean().optional(),
  /**
   * The configured server answered our last hello with something else than welcome (a 1.0
   * server's `error`): it is there but speaks an older protocol (absent: false). Cleared when
   * it says welcome.
   */
  olderServer: z.boolean().optional(),
  /**
   * The link goes to a LAN host's plain port, unencrypted: its TLS port did not answer (a
   * firewall opened for the plain one only), so whoever listens on the LAN can read it
   * (absent: false). Cleared with the link.
   */
  plainLink: z.boolean().optional(),
  /**
   * Without a server, the address of the app hosting my party (a LAN host's, or 127.0.0.1 for
   * another LANrage on this PC) while linked to it; absent while I host or use a server.
   * The link outlives the party (left, removed, a join refused): it names my party's host
   * only while I am in it or wait to be let in (statusText's `standing`).
   */
  hostAddress: z.string().max(255).optional(),
  /**
   * Without a server, the certificate pin of the PC hosting my party (this PC's, when I host
   * it with LAN listening on) while linked to it over TLS, and the one kept for the party
   * while that link is down (the host away): invite links carry it, so a friend joins only
   * that PC, whoever else announces the party on the LAN.
   */
  hostPin: CertificatePinSchema.optional(),
  /**
   * Beside `hostPin` while linked over TLS: where that PC answers there (`address:port`; this
   * PC's LAN addresses when I host), which invite links carry for guests whose network keeps
   * LAN discovery from getting through (hosting/lan-addresses.ts).
   */
  hostAt: HostAddressesSchema.optional(),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>;

/** The status a control plane starts with: local mode, nothing heard yet. */
export function localStatus(
  heartbeatIntervalMs: number,
  peerTimeoutMs: number,
  lanListen = false,
): ConnectionStatus {
  return {
    state: ConnectionState.LOCAL,
    serverUrl: null,
    reconnectAttempt: 0,
    maxReconnectAttempts: 0,
    lastHeartbeatAt: null,
    lastHeartbeatRttMs: null,
    heartbeatIntervalMs,
    peerTimeoutMs,
    everConnected: false,
    retryDelayMs: null,
    localServer: null,
    lanListen,
  };
}

/**
 * Whether this app can currently know who else is online: connected to its server, in local
 * mode, or offline while it serves its party itself (its embedded server took the party over
 * and knows who is linked to it). While connecting, reconnecting or otherwise offline, the
 * others' status is unknown.
 */
export function canSeeOthers(
  status: Pick<
    ConnectionStatus,
    'state' | 'localServer' | 'hostAway' | 'serverQuiet' | 'lanCutOff'
  >,
): boolean {
  if (status.hostAway === true || status.serverQuiet === true) return false;
  if (status.lanCutOff !== undefined) return false;
  if (status.state === ConnectionState.OFFLINE) return (status.localServer ?? null) !== null;
  return status.state === ConnectionState.CONNECTED || status.state === ConnectionState.LOCAL;
}

/** A time the linked server dated (epoch ms on its clock), on this PC's clock. */
export function serverTimeToLocal(
  serverMs: number,
  status: Pick<ConnectionStatus, 'serverClockOffsetMs'> | null,
): number {
  return serverMs - (status?.serverClockOffsetMs ?? 0);
}

/**
 * When the server (or the local control plane) last confirmed I am alive, on this PC's
 * clock: the last acknowledged heartbeat, or my own row's last_seen (dated by the server,
 * set on join) when that is newer. The tray and the status bar both read it.
 */
export function lastConfirmedAt(
  status: ConnectionStatus | null,
  myLastSeenServerMs: number | null,
): number | null {
  const mine = myLastSeenServerMs === null ? null : serverTimeToLocal(myLastSeenServerMs, status);
  const ack = status?.lastHeartbeatAt ?? null;
  if (ack === null) return mine;
  return mine === null ? ack : Math.max(ack, mine);
}

/** The heartbeat's health as the tray icon and the status bar's dot both show it. */
export const HeartbeatHealth = {
  /** Not in a party. */
  IDLE: 'idle',
  /** In a party, my last heartbeat confirmed within two intervals. */
  HEALTHY: 'healthy',
  /**
   * In a party, heartbeat overdue, reconnecting, the server not answering, the host away, or
   * (hosting on the LAN) this PC cut off from its guests.
   */
  LATE: 'late',
  /** Gave up on the server and fell back to local mode. */
  OFFLINE: 'offline',
} as const;
export type HeartbeatHealth = (typeof HeartbeatHealth)[keyof typeof HeartbeatHealth];

/** The one heartbeat-health rule: `confirmed` from lastConfirmedAt, on this PC's clock. */
export function heartbeatHealth(
  status: ConnectionStatus | null,
  inParty: boolean,
  confirmed: number | null,
  now: number,
): HeartbeatHealth {
  if (!status || status.state === ConnectionState.OFFLINE) return HeartbeatHealth.OFFLINE;
  if (!inParty) return HeartbeatHealth.IDLE;
  const linking =
    status.state === ConnectionState.RECONNECTING || status.state === ConnectionState.CONNECTING;
  const cutOff = status.lanCutOff !== undefined;
  if (linking || cutOff || status.hostAway === true || status.serverQuiet === true) {
    return HeartbeatHealth.LATE;
  }
  return isHeartbeatFresh(confirmed, now, status.heartbeatIntervalMs)
    ? HeartbeatHealth.HEALTHY
    : HeartbeatHealth.LATE;
}

/**
 * What this app can say of a member's presence: its row's mark, and what the tray counts.
 * `asleep`: the server says the member's PC went to sleep (protocol 1.12).
 */
export type MemberPresence = 'online' | 'offline' | 'asleep' | 'unknown';

export interface MemberPresenceInputs {
  status: ConnectionStatus | null;
  /** The server's word on the member (protocol 1.1); none from a 1.0 server. */
  presence: PresenceDict | undefined;
  /** The member's last beat (epoch ms, this PC's clock), for a server without presence. */
  lastSeen: number | null;
  isMe: boolean;
  /** When the server last confirmed my heartbeat (lastConfirmedAt). */
  myConfirmedAt: number | null;
}

/**
 * The one rule for whether a member is online, for the member rows and the tray alike.
 * Unknown while this app cannot see the server; me by my own confirmed heartbeat; the others
 * by the server's word, or (no presence) by their last beat.
 */
export function memberPresence(input: MemberPresenceInputs, now: number): MemberPresence {
  const { status } = input;
  if (!status || !canSeeOthers(status)) return 'unknown';
  const interval = status.heartbeatIntervalMs;
  const heard = isHeartbeatFresh(input.myConfirmedAt, now, interval);
  if (input.isMe) return heard ? 'online' : 'unknown';
  // Still linked, but my beats go unanswered (my network dropped without closing the link):
  // what the server last said of the others is as old, and they may have left or gone.
  if (status.state === ConnectionState.CONNECTED && !heard) return 'unknown';
  if (input.presence) return input.presence.status;
  return isHeartbeatFresh(input.lastSeen, now, interval) ? 'online' : 'offline';
}
