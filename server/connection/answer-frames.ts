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

export function errorMessage(error: unknown): { message: string; code: string } {
  if (error instanceof ControlPlaneError) {
    return { message: error.message.slice(0, 1000), code: error.code.slice(0, 32) };
  }
  return { message: 'Internal server error', code: ErrorCode.INTERNAL };
}
