/**
 * How the app service fails: the messages it gives the user (plain words about what went
 * wrong and what to do, with the codes the renderer maps, see ipc-registry.ts), and
 * listeners kept from breaking what they listen to.
 */
import { ControlPlaneError, type ControlPlaneErrorCode } from '../../../shared/protocol/errors';
import { isRefusalCode, refusalSentence } from '../../../shared/protocol/refusals';
import { serverName } from '../../../shared/values/server-url';
import { dialWords, withoutCode } from '../client/link/connect-words';
import { NotReachedAt } from '../hosting/host-at';
import type { ConnectionState } from '../../../shared/status';
import { withDetail, type Logger } from '../../../shared/logger';

/** The codes that mean the server could not be asked (a code no one sends does not compile). */
const UNREACHABLE_CODES: ReadonlySet<ControlPlaneErrorCode> = new Set<ControlPlaneErrorCode>([
  'unavailable',
  'unreachable',
  'timeout',
]);

/**
 * Why joining `partyId` failed, as the join dialog should say it; `hadInvite` false: the
 * join carried no invite token.
 */
export function explainJoinFailure(
  err: unknown,
  partyId: string,
  state: ConnectionState,
  controlServer: string | null,
  hadInvite = true,
): unknown {
  // The door said no (issue 10): our own sentence for it, whatever the server wrote.
  if (err instanceof ControlPlaneError && isRefusalCode(err.code)) {
    const sentence = refusalSentence(err.code, hadInvite);
    return new ControlPlaneError(sentence, { code: err.code, cause: err });
  }
  // On the local fallback an unknown party most likely lives on the unreachable server.
  const unreachable =
    state === 'offline' ||
    (err instanceof ControlPlaneError && UNREACHABLE_CODES.has(err.code)) ||
    (!(err instanceof ControlPlaneError) && state !== 'local' && state !== 'connected');
  // Without a server, what did not answer is the PC hosting the party (on the LAN or here).
  if (unreachable && state === 'local') return hostUnreachable(err);
  if (unreachable) {
    const where = serverName(controlServer);
    return new ControlPlaneError(
      `Can't reach ${where}: check your connection, or the server address in Settings.`,
      { code: 'unreachable', cause: err },
    );
  }
  if (err instanceof ControlPlaneError && err.code === 'not_found' && state === 'local') {
    // A link naming its host's addresses was tried there too: its own words say where.
    return err instanceof NotReachedAt ? err : notHeard(partyId);
  }
  if (err instanceof ControlPlaneError && err.code === 'not_found') {
    // A server forgets a party that ended: it may be that, as likely as a mistyped ID.
    const sentence = `No party with ID ${partyId}: it may have ended, or the ID is mistyped.`;
    return new ControlPlaneError(`${sentence} Check it with your host.`, {
      code: 'not_found',
      field: 'invite',
    });
  }
  return err;
}

/**
 * Without a server, "not found" is only "not heard": a server's "no such party" said of a LAN
 * party running one hop away, whose announcements this PC's firewall dropped.
 */
function notHeard(partyId: string): ControlPlaneError {
  const message =
    `LANrage has not heard party ${partyId} on this PC or your network. Its host's LANrage ` +
    'may be closed, it may be on another network, or something here blocks LAN discovery ' +
    '(multicast, UDP 5353): ask the host.';
  return new ControlPlaneError(message, { code: 'not_found', field: 'invite' });
}

/** A party's host PC did not answer (no server in use): said with the dial's own words. */
function hostUnreachable(err: unknown): ControlPlaneError {
  const why = err instanceof Error ? dialWords(err.message) : undefined;
  const said = why === undefined ? '' : ` (${withoutCode(why)})`;
  const message =
    `Can't reach the PC hosting this party${said}: it may be asleep or have left the ` +
    'party, or a firewall on it blocks LANrage.';
  return new ControlPlaneError(message, { code: 'unreachable', cause: err });
}

/**
 * Why creating a party failed: an unreachable server in words, anything else as it was. A
 * server never reached since it was set is most likely a wrong address: waiting will not help.
 */
export function explainCreateFailure(
  err: unknown,
  controlServer: string | null,
  everConnected = true,
  olderServer = false,
): Error {
  if (!(err instanceof ControlPlaneError) || !UNREACHABLE_CODES.has(err.code)) {
    return err instanceof Error ? err : new Error(String(err));
  }
  const server = serverName(controlServer);
  if (olderServer) {
    const what =
      `${server} answered, but speaks an older LANrage protocol than this app needs, so the ` +
      'party could not be made there. Ask its operator to update it, or change the server in Settings.';
    return new ControlPlaneError(what, { code: 'unreachable', cause: err });
  }
  const what = everConnected
    ? `Can't reach ${server} right now, so the party could not be made there. ` +
      'LANrage keeps trying: try again in a moment.'
    : `LANrage has never reached ${server}, so the party could not be made there. ` +
      'Check the address in Settings.';
  return new ControlPlaneError(what, { code: 'unreachable', cause: err });
}

/** A control server URL the settings schema let through but no control plane can use. */
export function unusableServer(err: unknown, controlServer: string | null): ControlPlaneError {
  const reason = err instanceof Error ? err.message : String(err);
  return new ControlPlaneError(`Cannot use control server ${controlServer ?? ''}: ${reason}`, {
    code: 'bad_request',
    field: 'control_server',
    cause: err,
  });
}

/**
 * A join on the invite's `server` failed, and the app went back to `before` (null: none).
 * Out of reach is the link's server, not one in Settings: said so.
 */
export function movedBack(err: unknown, before: string | null, server: string): unknown {
  if (!(err instanceof ControlPlaneError)) return err;
  const back = `LANrage is back on ${before === null ? 'no server' : serverName(before)}.`;
  const message =
    err.code === 'unreachable'
      ? `Can't reach ${serverName(server)}, the server the invite names: it may be down, or the link wrong (ask your host). ${back}`
      : `${err.message} ${back}`;
  const field = err.field === undefined ? {} : { field: err.field };
  return new ControlPlaneError(message, { code: err.code, cause: err, ...field });
}

export function serverChangeInParty(partyName: string): ControlPlaneError {
  return new ControlPlaneError(
    `You are in ${partyName}: leave it before changing the server (the party stays on its server).`,
    { code: 'conflict', field: 'control_server' },
  );
}

export function alreadyInParty(partyName: string): ControlPlaneError {
  return new ControlPlaneError(`You are already in ${partyName}: leave it first.`, {
    code: 'conflict',
  });
}

/**
 * Calls every listener with `value`. One that throws (a closed bridge) neither stops the
 * others nor turns the operation that succeeded into an error for the user.
 */
export function callEach<T>(
  listeners: Iterable<(value: T) => void>,
  value: T,
  logger: Logger,
): void {
  for (const listener of [...listeners]) {
    try {
      listener(value);
    } catch (err) {
      logger.error(withDetail('A state listener failed', err, true));
    }
  }
}
