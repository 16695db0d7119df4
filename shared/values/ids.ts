import { z } from 'zod';

/**
 * Party and peer ids travel in invite links, file names and log lines, so they are
 * short printable tokens. The spec's own examples (`party_abc123`, `peer123`) fit.
 */
export const MAX_ID_LENGTH = 64;
/** The characters an id may hold, at any length (to tell a too-long id from a mistyped one). */
export const ID_CHARACTERS = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
export const ID_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,${MAX_ID_LENGTH - 1}}$`);

export const IdSchema = z
  .string()
  .regex(ID_PATTERN, 'must be 1-64 letters, digits, "_", "-", "." or ":"');

/**
 * Party ids are matched case-insensitively: a gamer reads one aloud or types it from a
 * screenshot in capitals. Every layer (invite parsing, the app, the wire schemas the
 * server parses) folds them here, to lower case, the case generated ids have always had,
 * so existing ids keep working unchanged.
 */
export function canonicalPartyId(id: string): string {
  return id.toLowerCase();
}

/** A party id as received from a client: validated, then folded to its canonical form. */
export const PartyIdSchema = IdSchema.transform(canonicalPartyId);

/** A party id is the party's address, so a new one must not be short enough to guess. */
export const MIN_NEW_PARTY_ID_LENGTH = 8;

/** The id of a party being registered: at least MIN_NEW_PARTY_ID_LENGTH characters. */
export const NewPartyIdSchema = IdSchema.refine((id) => id.length >= MIN_NEW_PARTY_ID_LENGTH, {
  message: `must be at least ${MIN_NEW_PARTY_ID_LENGTH} characters (a short ID is easy to guess)`,
}).transform(canonicalPartyId);

// No 0/o/1/l/i, so an id read aloud or typed from a screenshot survives.
const ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A cryptographically random token from the id alphabet (~5 bits per character). */
export function randomToken(length: number): string {
  const out: string[] = [];
  const bytes = new Uint8Array(length * 2);
  while (out.length < length) {
    globalThis.crypto.getRandomValues(bytes);
    for (const b of bytes) {
      // Reject the tail of the byte range so every letter is equally likely.
      if (b >= 256 - (256 % ID_ALPHABET.length)) continue;
      out.push(ID_ALPHABET[b % ID_ALPHABET.length]!);
      if (out.length === length) break;
    }
  }
  return out.join('');
}

export const MAX_REQUEST_ID_LENGTH = 64;
/** The id a client gives a request; the direct answer to it carries the same one. */
export const RequestIdSchema = z.string().min(1).max(MAX_REQUEST_ID_LENGTH).optional();
