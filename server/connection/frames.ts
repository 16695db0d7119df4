/**
 * Turning one WebSocket frame into a value a schema may look at. Everything here is bounded:
 * frames are at most 64 KiB (ws closes bigger ones with 1009), binary frames are refused
 * (the protocol is JSON text), and nesting is measured without recursion before any schema
 * runs, because zod's `z.json()` recurses and ~1 300 levels of `[[[…` overflow the stack.
 */
import type { RawData } from 'ws';
import { ControlPlaneError } from '../../shared/errors';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../../shared/json-depth';
import { ErrorCode } from '../../shared/protocol';

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

export function decodeFrame(data: RawData, isBinary: boolean): DecodedFrame {
  if (isBinary) return bad('Binary frames are not part of the protocol; send JSON text');
  let value: unknown;
  const text = rawText(data);
  try {
    value = JSON.parse(text);
  } catch {
    return bad('Invalid JSON');
  }
  // JSON.parse copes with any depth; what runs next does not.
  const requestId = requestIdOf(value);
  if (!fewerBracketsThan(text, MAX_JSON_DEPTH + 1) && exceedsJsonDepth(value)) {
    return bad(`Message nests deeper than ${MAX_JSON_DEPTH} levels`, requestId);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return bad('A message is a JSON object', requestId);
  }
  return { ok: true, value: value as Record<string, unknown>, requestId };
}

const BRACKETS = ['{', '['] as const;

/**
 * Whether `text` has fewer than `n` opening brackets. Nesting needs one per level, so such a
 * frame cannot be too deep, and the walk over the parsed value (which allocates) is skipped
 * for nearly every frame: a heartbeat has one bracket. Brackets inside strings count too,
 * which only sends a frame to the exact check.
 */
function fewerBracketsThan(text: string, n: number): boolean {
  // indexOf scans natively; a heartbeat has one `{` and no `[`.
  let count = 0;
  for (const bracket of BRACKETS) {
    for (let i = text.indexOf(bracket); i >= 0; i = text.indexOf(bracket, i + 1)) {
      if (++count >= n) return false;
    }
  }
  return true;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  // Without arguments Buffer#toString goes straight to its UTF-8 decoder.
  return data.toString();
}
