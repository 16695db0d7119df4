/**
 * The app does not trust its control server further than it must: every answer is checked
 * to be for what was asked, and every interval the server announces is clamped to the
 * bounds in shared/time/intervals.ts. (Party size is bounded by the protocol schema.)
 */
import { ControlPlaneError } from '../../../../shared/protocol/errors';
import { clampInterval, HEARTBEAT_INTERVAL, PEER_TIMEOUT } from '../../../../shared/time/intervals';
import { PartyInfo } from '../../../../shared/model';
import type { ServerMessage } from '../../../../shared/protocol/protocol';
import type { Logger } from '../../../../shared/logger';

/** Seconds the app gives a server to answer hello before trying again later. */
export const HELLO_TIMEOUT_MS = 5000;

function badAnswer(message: string): ControlPlaneError {
  return new ControlPlaneError(`The control server gave a wrong answer: ${message}`, {
    code: 'bad_answer',
  });
}

/**
 * The party in an answer to a request about `partyId`; with `member`, that peer must be
 * in it (a join or register answer that leaves us out did not happen).
 * @throws ControlPlaneError (code `bad_answer`) for any other answer.
 */
export function partyAnswer(answer: ServerMessage, partyId: string, member?: string): PartyInfo {
  if (answer.type !== 'party_update') throw badAnswer(`${answer.type} instead of the party`);
  const party = PartyInfo.fromParsed(answer.party);
  if (party.partyId !== partyId) {
    throw badAnswer(`party ${party.partyId} when asked about ${partyId}`);
  }
  if (member !== undefined && !party.peers.has(member)) {
    throw badAnswer(`party ${partyId} without ${member} in it`);
  }
  return party;
}

export interface ServerIntervals {
  heartbeatIntervalMs: number;
  peerTimeoutMs: number;
}

export interface Welcome {
  sessionToken: string;
  intervals: ServerIntervals;
}

/** The answer to hello: its session token and its intervals, clamped (each clamp logged). */
export function readWelcome(answer: ServerMessage, logger: Logger): Welcome {
  if (answer.type !== 'welcome') throw badAnswer(`${answer.type} instead of welcome`);
  const heartbeat = clampInterval(answer.heartbeat_interval, HEARTBEAT_INTERVAL);
  const timeout = clampInterval(answer.peer_timeout, PEER_TIMEOUT);
  for (const warning of [heartbeat.warning, timeout.warning]) {
    if (warning) logger.warn(`The control server announced ${warning}`);
  }
  return {
    sessionToken: answer.session_token,
    intervals: {
      heartbeatIntervalMs: heartbeat.seconds * 1000,
      peerTimeoutMs: timeout.seconds * 1000,
    },
  };
}
