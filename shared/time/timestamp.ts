/**
 * Timestamps as the spec writes them (Python's `isoformat()`), read into Dates. One rule for
 * files, the wire and the UI.
 */
import { z } from 'zod';

const ISO_TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Reads an ISO-8601 timestamp as Python's `isoformat()` writes it. A timestamp without
 * a zone (as in the spec's examples) is read as UTC, so every machine agrees on it.
 */
export function parseTimestamp(text: string): Date | null {
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) return null;
  const fraction = (m[2] ?? '').padEnd(3, '0').slice(0, 3);
  const ms = Date.parse(`${m[1]}.${fraction}${m[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/**
 * The latest time a Date holds (ECMAScript's limit, ±100 000 000 days): beyond it a Date is
 * invalid and toISOString throws, so a time read from elsewhere is checked against it first.
 */
export const MAX_EPOCH_MS = 8.64e15;

/** Whether `ms` is a time from the epoch on that a Date can hold and write out. */
export const isEpochMs = (ms: number): boolean =>
  Number.isFinite(ms) && ms >= 0 && ms <= MAX_EPOCH_MS;

/** Longer than any form parseTimestamp reads (nanoseconds and a zone take 35). */
export const MAX_TIMESTAMP_LENGTH = 40;

export const TimestampSchema = z
  .string()
  .max(MAX_TIMESTAMP_LENGTH)
  .transform((text, ctx) => {
    const date = parseTimestamp(text);
    if (!date) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 timestamp' });
      return z.NEVER;
    }
    return date;
  });
