/**
 * `server_time` of an answer: one ISO string per millisecond. Under a heartbeat burst
 * thousands of acks share a millisecond, and each used to build a Date and its string.
 */
let lastMs = Number.NaN;
let lastIso = '';

export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
