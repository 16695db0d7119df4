/**
 * How a connection writes its answers: the request's id added to the frame, and what an
 * error tells the client (a ControlPlaneError's own words, bounded; anything else is hidden).
 */
import { AppErrorCode, ControlPlaneError } from '../../shared/protocol/errors';
import { ErrorCode, knownErrorCode } from '../../shared/protocol/protocol';

/**
 * The answer's JSON with `request_id` added as its last key: cheaper than copying the
 * message to add it (every heartbeat ack goes through here).
 */
export function withRequestId(json: string, requestId: string | undefined): string {
  return requestId === undefined
    ? json
    : `${json.slice(0, -1)},"request_id":${JSON.stringify(requestId)}}`;
}

/** What an `error` answer says: one of the wire's codes, never the app's own. */
export interface ErrorAnswer {
  message: string;
  code: ErrorCode;
  retry_after_s?: number;
}

/**
 * What an `error` answer says; a wait the error knows goes as `retry_after_s` (additive). A
 * code only the app uses (`timeout`, `error`…) is a fault here, answered `internal`.
 */
export function errorMessage(error: unknown): ErrorAnswer {
  if (error instanceof ControlPlaneError) {
    const { retryAfterS } = error;
    const wait = retryAfterS === undefined ? {} : { retry_after_s: retryAfterS };
    const known = knownErrorCode(error.code);
    const code = known === AppErrorCode.ERROR ? ErrorCode.INTERNAL : known;
    return { message: error.message.slice(0, 1000), code, ...wait };
  }
  return { message: 'Internal server error', code: ErrorCode.INTERNAL };
}
