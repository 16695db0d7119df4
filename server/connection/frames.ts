/**
 * Turning one WebSocket frame into a value a schema may look at. Everything here is bounded:
 * frames are at most 64 KiB (ws closes bigger ones with 1009), binary frames are refused
 * (the protocol is JSON text), and nesting is measured without recursion before any schema
 * runs, because zod's `z.json()` recurses and ~1 300 levels of `[[[…` overflow the stack.
 */
import type { RawData } from 'ws';
import { ControlPlaneError } from '../../shared/protocol/errors';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../../shared/protocol/json-depth';
import { ErrorCode } from '../../shared/protocol/protocol';

export type DecodedFrame =
  | { ok: true; value: Record<string, unknown>; requestId: string | undefined }
  | { ok: false; error: ControlPlaneError; requestId: string | undefined };

const bad = (message: string, requestId?: string): DecodedFrame => ({
  ok: false,
  error: new ControlPlaneError(message, { code: ErrorCode.BAD_REQUEST }),
  requestId,
});

/** A valid `request_id` of the frame, if it has one, so even refusals can echo it. */
export function requestIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const id = (value as Record<string, unknown>).request_id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}

/**
 * Most opening brackets and commas a frame may hold, counted before it is parsed: a value
 * (an object, an array or an item in one) follows one of them, so this bounds what parsing
 * makes. A 64 KiB frame of 21 000 empty objects took 3-4 ms to parse and walk, one of 6 000
 * keys 2 ms; a message of the protocol holds a few dozen (an SDP is one string). Those inside
 * strings count too: harmless at this bound.
 */
export const MAX_FRAME_MARKS = 4096;
const VALUE_MARKS = ['{', '[', ','] as const;

export function decodeFrame(data: RawData, isBinary: boolean): DecodedFrame {
  if (isBinary) return bad('Binary frames are not part of the protocol; send JSON text');
  let value: unknown;
  const text = rawText(data);
  // A frame shorter than the bound cannot hold more marks: no count for nearly every frame.
  if (text.length > MAX_FRAME_MARKS && !fewerThan(text, VALUE_MARKS, MAX_FRAME_MARKS + 1)) {
    const message = `Message holds too many values (over ${MAX_FRAME_MARKS} brackets and commas)`;
    return bad(message, requestIdInText(text));
  }
  try {
    value = JSON.parse(text);
  } catch {
    return bad('Invalid JSON');
  }
  // JSON.parse copes with any depth; what runs next does not.
  const requestId = requestIdOf(value);
  if (!fewerThan(text, BRACKETS, MAX_JSON_DEPTH + 1) && exceedsJsonDepth(value)) {
    return bad(`Message nests deeper than ${MAX_JSON_DEPTH} levels`, requestId);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return bad('A message is a JSON object', requestId);
  }
  return { ok: true, value: value as Record<string, unknown>, requestId };
}

const BRACKETS = ['{', '['] as const;

/**
 * Whether `text` holds fewer than `n` of `chars` in all. With opening brackets: nesting needs
 * one per level, so such a frame cannot be too deep, and the walk over the parsed value (which
 * allocates) is skipped for nearly every frame: a heartbeat has one bracket. Those inside
 * strings count too, which only sends a frame to the exact check.
 */
function fewerThan(text: string, chars: readonly string[], n: number): boolean {
  // indexOf scans natively; a heartbeat has one `{` and no `[`.
  let count = 0;
  for (const char of chars) {
    for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) {
      if (++count >= n) return false;
    }
  }
  return true;
}

/** A frame's size in bytes, as it came. */
export function frameBytes(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data.byteLength;
}

const REQUEST_ID = /"request_id"\s*:\s*"([^"\\]{1,64})"/;

/**
 * The `request_id` a frame refused before it is parsed seems to carry, so the client need not
 * wait for its timeout: the first such key anywhere in it (a nested one in a made-up frame).
 */
export function requestIdInText(text: string): string | undefined {
  return REQUEST_ID.exec(text)?.[1];
}

/** requestIdInText of a frame not yet decoded: only the bytes around the key are read. */
export function requestIdOfRaw(data: RawData): string | undefined {
  let bytes: Buffer;
  if (Array.isArray(data)) bytes = Buffer.concat(data);
  else bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
  const at = bytes.indexOf('"request_id"');
  return at < 0 ? undefined : requestIdInText(bytes.toString('utf8', at, at + 400));
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  // Without arguments Buffer#toString goes straight to its UTF-8 decoder.
  return data.toString();
}
