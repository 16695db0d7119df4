import { serverName } from '../../../shared/values/server-url';
import type { ConnectionStatus } from '../../../shared/status';
import { isThisPc, localReach } from '../../../shared/status-words';

/** True when a party made now lives only on this machine (no server reached). */
export function partiesStayLocal(status: ConnectionStatus | null): boolean {
  return status?.state === 'local' || status?.state === 'offline';
}

/**
 * Under the party ID: whom to send it to, and who can actually use it right now. Offline, a
 * host serves its party itself (players near it can join), a guest serves nothing: no one
 * joins through the guest's PC, so it is not told "players on this PC can join". Without a
 * server, a party is reached where the app serving it runs, whatever this app's settings.
 */
export function inviteHint(status: ConnectionStatus | null, amHost = true): string {
  if (status?.state === 'local') {
    // Handed over, the party stays on the PC of the app that made it: its reach, not mine.
    if (amHost && status.hostAddress !== undefined) return servedElsewhere(status.hostAddress);
    // A guest's reach is its host's: its own lan_listen and Settings change nothing for it.
    if (!amHost)
      return 'This party has no server: players who can reach the PC it runs on can join.';
    return `No server is set, so only ${localReach(status)} can join. Add a server in Settings to invite friends online.`;
  }
  if (status?.state === 'offline') {
    const server = serverName(status.serverUrl);
    // Who can join is the host's to know: a member's own view of the party is what went stale.
    if (!amHost) {
      return `You are offline: what you see of the party may be out of date until ${server} answers again.`;
    }
    return `You are offline, so only ${localReach(status)} can join for now. Friends online can join once ${server} answers again.`;
  }
  if (status?.state === 'reconnecting') {
    // An invite sent now cannot be used until the server answers: "send" misled. Who can
    // join is the host's to know; a member is told what went stale (as when offline).
    const server = serverName(status.serverUrl);
    if (!amHost) {
      return `LANrage can't reach ${server} right now: what you see of the party may be out of date until it answers.`;
    }
    return `LANrage can't reach ${server} right now: friends can join once it answers.`;
  }
  return 'Send your friends the invite message, the link or the party ID.';
}

/** A party handed to me without a server: it runs on the app that made it, until it quits. */
function servedElsewhere(address: string): string {
  return isThisPc(address)
    ? 'Another LANrage on this PC runs this party: players who can reach this PC can join, until that LANrage closes.'
    : `LANrage at ${address} runs this party: players who can reach that PC can join, until LANrage closes there.`;
}

/**
 * Under "Host a party" when a party made now stays on this PC, or null when it does not. A
 * server that is set but does not answer is named: "without a server" read as if none was set.
 */
export function createReachHint(status: ConnectionStatus | null): string | null {
  if (!status || !partiesStayLocal(status)) return null;
  const reach = localReach(status);
  if (status.state === 'local') return `Without a server, only ${reach} can join a party you host.`;
  const server = serverName(status.serverUrl);
  return `While ${server} does not answer, only ${reach} can join a party you host.`;
}

/**
 * Where "Parties nearby" can find parties, or null where it shows none: with a server,
 * parties are joined through it, by invite.
 */
export function discoverySource(status: ConnectionStatus | null): string | null {
  return partiesStayLocal(status) ? 'Hosted with LANrage on this PC or your local network' : null;
}
