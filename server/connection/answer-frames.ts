/**
 * How a connection writes its answers: the request's id added to the frame, and what an
 * error tells the client (a ControlPlaneError's own words, bounded; anything else is hidden).
 */
import { ControlPlaneError } from '../../shared/errors';
import { ErrorCode } from '../../shared/protocol';

/**
 * The answer's JSON with `request_id` added as its last key: cheaper than copying the
 * message to add it (every heartbeat ack goes through here).
 */
export function withRequestId(json: string, requestId: string | undefined): string {
  return requestId === undefined
    ? json
    : `${json.slice(0, -1)},"request_id":${JSON.stringify(requestId)}}`;
}

/** What an `error` answer says; a wait the error knows goes as `retry_after_s` (additive). */
export function errorMessage(error: unknown): {
  message: string;
  code: string;
  retry_after_s?: number;
} {
  if (error instanceof ControlPlaneError) {
    const { retryAfterS } = error;
    const wait = retryAfterS === undefined ? {} : { retry_after_s: retryAfterS };
    return { message: error.message.slice(0, 1000), code: error.code.slice(0, 32), ...wait };
  }
  return { message: 'Internal server error', code: ErrorCode.INTERNAL };
}
