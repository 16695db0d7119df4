/**
 * The push relaying a `signal`, and the rule that keeps it best-effort: a signal never costs
 * its recipient the connection (connection.ts, SIGNAL_BACKLOG_BYTES).
 */
import { ControlPlaneError } from '../../shared/protocol/errors';
import {
  ErrorCode,
  MAX_SIGNAL_PUSH_BYTES,
  type ServerMessageInput,
} from '../../shared/protocol/protocol';
import type { ClientMessage } from '../../shared/protocol/client-messages';
import type { Outbox } from '../presence/presence';

/** How every signal push begins: its type is written first (signalPush). */
const SIGNAL_PUSH_START = '{"type":"signal",';

/**
 * The push relaying a signal. Refused when, written out, it is larger than any client may send
 * (MAX_SIGNAL_PUSH_BYTES): the app would drop it unread.
 */
export function signalPush(message: ClientMessage & { type: 'signal' }): string {
  const frame = JSON.stringify({
    type: 'signal',
    party_id: message.party_id,
    from_peer_id: message.from_peer_id,
    to_peer_id: message.to_peer_id,
    signal_data: message.signal_data,
  } satisfies ServerMessageInput);
  const bytes = Buffer.byteLength(frame);
  if (bytes > MAX_SIGNAL_PUSH_BYTES) {
    throw new ControlPlaneError(`This signal is too large to relay (${bytes} bytes written out)`, {
      code: ErrorCode.BAD_REQUEST,
    });
  }
  return frame;
}

/**
 * Whether a frame another server fanned out is a signal push: delivered here best-effort too
 * (replica-follow.ts), as on the server that relayed it.
 */
export const isSignalPush = (frame: string): boolean => frame.startsWith(SIGNAL_PUSH_START);

/**
 * Refuses (`rate_limited`, as the signal budget does) a signal of `bytes` to `to` while too much
 * waits for its connection `outbox` (Outbox.hasRoomFor).
 */
export function refuseIfBehind(outbox: Outbox | undefined, to: string, bytes: number): void {
  if (!outbox || outbox.hasRoomFor(bytes)) return;
  throw new ControlPlaneError(`${to} has not yet read what it was sent; try again shortly`, {
    code: ErrorCode.RATE_LIMITED,
  });
}
