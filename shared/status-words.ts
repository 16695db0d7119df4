/**
 * The connection status in words a gamer uses, for the status bar and the tray alike.
 */
import { serverName } from './values/server-url';
import type { ConnectionStatus } from './status';
import { healthPeriodMs } from './presence';

/**
 * Who can reach a party hosted without a server: the app's embedded server listens on the
 * LAN unless `lan_listen` is off (then on 127.0.0.1 only). Said wherever the app tells who
 * can join, so it never tells a host that friends on the same network cannot.
 */
export function localReach(status: Pick<ConnectionStatus, 'lanListen'> | null): string {
  return status?.lanListen === true ? 'players on your local network' : 'players on this PC';
}

/** Whether a host's address is this PC's own (another LANrage here). */
export function isThisPc(address: string): boolean {
  return address === 'localhost' || address === '[::1]' || address.startsWith('127.');
}

/** Where a party hosted without a server is, in words: this PC, or an address on the LAN. */
function hostedAt(address: string): string {
  return isThisPc(address) ? 'hosted on this PC' : `hosted at ${address} on your network`;
}

/**
 * Where this app stands with a party, as the words tell it: in one, waiting for its host to
 * let it in, or neither.
 */
export type PartyStanding = 'member' | 'waiting' | 'none';

/**
 * Without a server. The link to a party's host outlives the party (left, removed, ended, a
 * join refused), so its address says where my party is only while I am in it or wait for it:
 * otherwise, who can join a party this app would host.
 */
function localText(status: ConnectionStatus, standing: PartyStanding): string {
  const address = status.hostAddress;
  if (address !== undefined && standing === 'member')
    return `No server: in a party ${hostedAt(address)}`;
  if (address !== undefined && standing === 'waiting')
    return `No server: waiting to be let into a party ${hostedAt(address)}`;
  // Its announcements do not get out: "players on your local network can join" was untrue.
  if (status.lanBlocked === true && status.lanListen === true)
    return 'No server: LAN discovery is blocked here, so players nearby cannot find your parties';
  return `No server: only ${localReach(status)} can join`;
}

/** A host cut off from its LAN: no network here, or every guest silent (it may be either end). */
const CUT_OFF_TEXT = {
  no_network: "This PC has lost its network: your party's members cannot reach you",
  silent: 'Nobody in your party answers: this PC may have lost its network',
} as const;

/** A no-break space: a narrow status bar wrapped "5" and "s" apart. */
function seconds(ms: number | null): string {
  return `${Math.max(1, Math.round((ms ?? 5000) / 1000))}\u00a0s`;
}

/**
 * How long my party waits for its LAN host gone silent without saying its PC went to sleep
 * (electron/core/hosting/silent-host.ts): one heartbeat-health period.
 */
function silentWaitText(status: ConnectionStatus): string {
  const s = Math.max(1, Math.round(healthPeriodMs(status.heartbeatIntervalMs) / 1000));
  return s % 60 === 0 ? `${s / 60}\u00a0min` : `${s}\u00a0s`;
}

/** My party's LAN host is silent: asleep (it said so, and is waited for), or maybe gone. */
function awayText(status: ConnectionStatus): string {
  if (status.hostAsleep === true)
    return "Waiting for the party's host to wake: its PC went to sleep";
  const within = silentWaitText(status);
  return `Waiting for the party's host to answer: the party ends if it is not back within ${within}`;
}

/**
 * The status bar's sentence for a connection status, in words a gamer uses; `standing` as
 * the status bar and the tray both know it (a status alone cannot tell a party left).
 */
export function statusText(status: ConnectionStatus | null, standing: PartyStanding): string {
  if (!status) return 'Starting…';
  const server = serverName(status.serverUrl);
  const neverConnected = `Never connected to ${server}: check the address in Settings`;
  // My party's LAN host went silent: what matters now, whatever the server's state. Out of
  // the party, a link to its host that lingers and goes quiet is no party of mine waiting.
  const away = status.hostAway === true && standing !== 'none';
  // Hosting: its own server still called everyone online, and the bar was green.
  const cutOff = standing === 'none' ? undefined : status.lanCutOff;
  if (cutOff) return CUT_OFF_TEXT[cutOff.reason];
  if (away && status.noNetwork === true)
    return "This PC has lost its network: waiting for it to reach the party's host again";
  if (away) return awayText(status);
  switch (status.state) {
    case 'local':
      // A guest's own reach says nothing of its party: where the party is hosted does.
      return localText(status, standing);
    case 'connecting':
      return `Connecting to ${server}…`;
    case 'connected':
      return status.serverQuiet === true
        ? `${server} is not answering: checking the connection…`
        : `Connected to ${server}`;
    case 'reconnecting':
      return status.everConnected
        ? `Can't reach ${server}, retrying every ${seconds(status.retryDelayMs)}`
        : neverConnected;
    case 'offline':
      // Not who can join: a guest whose party is on that server read it as about them. Who can
      // join a party hosted meanwhile is told beside it (listeningText, the invite's hint).
      return status.everConnected
        ? `Offline: can't reach ${server}, retrying every ${seconds(status.retryDelayMs)}`
        : neverConnected;
  }
}

/**
 * While this app hosts parties without a server, where its embedded server listens: said
 * in the status bar, since listening on the LAN is something the user should know (and
 * Windows asks to let it through the firewall). Null while it hosts nothing.
 */
export function listeningText(status: ConnectionStatus | null): string | null {
  const server = status?.localServer;
  if (!server) return null;
  // Out of the party it handed over, the user saw it listen and was not told why.
  const served = server.servedFor ?? [];
  const why =
    served.length === 1
      ? `Still serving ${served[0]!.party} for ${served[0]!.host}: `
      : served.length > 1
        ? `Still serving ${served.length} parties handed over: `
        : '';
  const where = !server.lan
    ? `Hosting for this PC only, on port ${server.port}`
    : status.lanCutOff?.reason === 'no_network'
      ? `Not reachable on the LAN: this PC has no network (port ${server.port})`
      : `Listening on the LAN on port ${server.port}`;
  return why === '' ? where : why + where.charAt(0).toLowerCase() + where.slice(1);
}

/**
 * Said while the link to a LAN party's host is unencrypted (its TLS port did not answer),
 * since everything sent to it, a password included, can then be read on the LAN. Null
 * otherwise.
 */
export function plainLinkText(status: ConnectionStatus | null): string | null {
  return status?.plainLink === true
    ? "Not encrypted: the host's PC did not answer on its encrypted port"
    : null;
}
