/**
 * One frame from the control server, read as hostile: depth bounded before any schema runs
 * (zod recurses, and a deep frame overflowed the stack), a signal larger than any client
 * sends dropped unread (megabytes of `signal_data` took seconds to check), then the protocol
 * schema. An error's sentence is shown to the user, so it is made one plain line first.
 */
import type { WebSocket } from 'ws';
import { ControlPlaneError } from '../../../../shared/protocol/errors';
import { parseJsonFrame } from '../../../../shared/protocol/json-depth';
import { oneLineText } from '../../../../shared/values/names';
import {
  ErrorCode,
  knownErrorCode,
  MAX_SIGNAL_PUSH_BYTES,
  ServerMessageSchema,
  type ServerMessage,
} from '../../../../shared/protocol/protocol';

export type FrameReading =
  | { ok: true; message: ServerMessage }
  /** `json`: the frame as parsed, when it was JSON (its request_id may name a request). */
  | { ok: false; reason: string; json?: unknown };

export function readServerFrame(data: WebSocket.RawData): FrameReading {
  const bytes = rawBytes(data);
  const frame = parseJsonFrame(bytes.toString('utf8'));
  if (!frame.ok)
    return { ok: false, reason: frame.error === 'too_deep' ? 'nested too deeply' : 'not JSON' };
  const json = frame.value;
  if (
    bytes.length > MAX_SIGNAL_PUSH_BYTES &&
    (json as { type?: unknown } | null)?.type === 'signal'
  )
    return {
      ok: false,
      json,
      reason: `a signal of ${bytes.length} bytes, larger than any client sends`,
    };
  const parsed = ServerMessageSchema.safeParse(json);
  if (!parsed.success)
    return { ok: false, json, reason: parsed.error.issues[0]?.message ?? 'not JSON' };
  return { ok: true, message: parsed.data };
}

/**
 * A server's error as the app shows it: its sentence on one plain line (a hostile server's
 * bidi overrides or line breaks must not dress it up), its code if it is one we know, and
 * with `rate_limited` the wait it names (the schema bounded it: a whole number of seconds).
 */
export function refusal(message: ServerMessage & { type: 'error' }): ControlPlaneError {
  const text = oneLineText(message.message) || 'The control server refused without saying why';
  const code = knownErrorCode(message.code);
  const retryAfterS = code === ErrorCode.RATE_LIMITED ? message.retry_after_s : undefined;
  return new ControlPlaneError(text, { code, retryAfterS });
}

function rawBytes(data: WebSocket.RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as Buffer);
}
