/**
 * A party's public summary as DNS-SD TXT strings (RFC 6763 §6: `key=value`, each string at
 * most 255 bytes) and back. Decoding treats every byte as hostile: bounded counts and
 * lengths, strict UTF-8, the first of a repeated key wins (RFC 6763 §6.4), then the shared
 * schema (names normalised and checked by shared/values/names.ts).
 */
import { describeZodError } from '../app-service/ipc-registry';
import { MAX_NAME_LENGTH } from '../../../shared/values/names';
import { LAN_TXT_KEYS, LanPartyTxtSchema, type LanPartySummary } from '../../../shared/lan-party';

/** One TXT string's limit: its length is one byte on the wire. */
export const MAX_TXT_STRING_BYTES = 255;
/** More strings than we ever write (plus `txtvers`) is not one of ours. */
export const MAX_TXT_STRINGS = 16;
export const TXT_VERSION = '1';

export type TxtDecodeResult = { ok: true; value: LanPartySummary } | { ok: false; error: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Marks a cut name; three dots, because the name rule's NFKC turns "…" into them anyway. */
const CUT_MARK = '...';

/**
 * `text` cut at a character boundary so that it fits `maxBytes` of UTF-8, ending in "..."
 * when cut, and still within the name rule's length. Only names need it: 64 characters of
 * 4 bytes do not fit one TXT string.
 */
export function fitUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const chars = [...text];
  const room = maxBytes - CUT_MARK.length;
  let bytes = 0;
  let end = 0;
  while (end < chars.length && end < MAX_NAME_LENGTH - CUT_MARK.length) {
    const next = Buffer.byteLength(chars[end]!);
    if (bytes + next > room) break;
    bytes += next;
    end++;
  }
  return `${chars.slice(0, end).join('').trimEnd()}${CUT_MARK}`;
}

export function encodeTxt(summary: LanPartySummary): Buffer[] {
  const strings = [`txtvers=${TXT_VERSION}`];
  for (const key of LAN_TXT_KEYS) {
    const value = summary[key];
    if (value === undefined) continue;
    const room = MAX_TXT_STRING_BYTES - Buffer.byteLength(`${key}=`);
    strings.push(`${key}=${fitUtf8(String(value), room)}`);
  }
  return strings.map((s) => Buffer.from(s, 'utf8'));
}

/** The key/value pairs of TXT strings, or why they are not acceptable. */
function txtPairs(data: readonly Uint8Array[]): Map<string, string> | string {
  if (data.length > MAX_TXT_STRINGS) return `too many TXT strings (${data.length})`;
  const pairs = new Map<string, string>();
  for (const bytes of data) {
    if (bytes.length > MAX_TXT_STRING_BYTES) return 'TXT string too long';
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return 'TXT string is not UTF-8';
    }
    const eq = text.indexOf('=');
    const key = (eq < 0 ? text : text.slice(0, eq)).toLowerCase();
    if (key === '' || pairs.has(key)) continue;
    pairs.set(key, eq < 0 ? '' : text.slice(eq + 1));
  }
  return pairs;
}

export function decodeTxt(data: readonly Uint8Array[]): TxtDecodeResult {
  const pairs = txtPairs(data);
  if (typeof pairs === 'string') return { ok: false, error: pairs };
  if (pairs.get('txtvers') !== TXT_VERSION) return { ok: false, error: 'unknown txtvers' };
  const parsed = LanPartyTxtSchema.safeParse(Object.fromEntries(pairs));
  if (!parsed.success) return { ok: false, error: describeZodError(parsed.error) };
  return { ok: true, value: parsed.data };
}
