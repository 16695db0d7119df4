/**
 * Invites: what a user pastes into the join dialog or clicks as a link. Shared by the
 * renderer (to explain a malformed invite before any round trip) and main (deep links).
 */
import { canonicalPartyId, ID_PATTERN } from './ids';

export const INVITE_SCHEME = 'lanrage:';

export type InviteParse = { ok: true; partyId: string } | { ok: false; message: string };

const NOT_A_LINK = 'That link is not a LANrage invite (lanrage://join/<party ID>).';
const DAMAGED_LINK =
  'That invite link is damaged (a "%" escape in it is not valid): ask for it again.';
const NOT_AN_ID =
  'That is not a valid party ID: use the letters, digits, "_", "-", "." or ":" your host sent you.';

/**
 * The first invite link or party id inside a chat message ("join my party: party_abc"),
 * whichever comes first. Ids are recognised by the `party_` prefix every generated id has;
 * sentence punctuation after them is not part of the id.
 */
const EMBEDDED =
  /lanrage:\/\/join\/([^\s/?#"'<>()]+)|(?<![A-Za-z0-9_.:-])(party_[A-Za-z0-9_.:-]+)/i;

function trimPunctuation(token: string): string {
  return token.replace(/[.:-]+$/, '');
}

/** The id in a link's path: `%xx` escapes decoded; a malformed one gets its own message. */
function fromLink(path: string): InviteParse {
  const decoded = decodeEscapes(path);
  if (decoded === null) return { ok: false, message: DAMAGED_LINK };
  return checkId(decoded);
}

function checkId(candidate: string): InviteParse {
  if (!ID_PATTERN.test(candidate)) return { ok: false, message: NOT_AN_ID };
  return { ok: true, partyId: canonicalPartyId(candidate) };
}

/**
 * Accepts a bare party id, a `lanrage://join/<party_id>` link, or a message containing
 * either; surrounding blanks ignored, the id returned in its canonical (lower) case.
 */
export function parseInvite(text: string): InviteParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Paste a party ID or an invite link.' };
  const exactLink = /^lanrage:\/\/join\/([^/?#\s]+)\/?$/i.exec(trimmed);
  if (exactLink?.[1]) return fromLink(exactLink[1]);
  if (ID_PATTERN.test(trimmed) && !trimmed.toLowerCase().startsWith(INVITE_SCHEME)) {
    return checkId(trimmed);
  }
  const found = EMBEDDED.exec(trimmed);
  if (found?.[1]) return fromLink(trimPunctuation(found[1]));
  if (found?.[2]) return checkId(trimPunctuation(found[2]));
  const message = trimmed.toLowerCase().includes(INVITE_SCHEME) ? NOT_A_LINK : NOT_AN_ID;
  return { ok: false, message };
}

/** `%xx` escapes decoded; null for a malformed one (decodeURIComponent would throw). */
function decodeEscapes(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

export function inviteLink(partyId: string): string {
  return `lanrage://join/${encodeURIComponent(partyId)}`;
}

/** What "Copy invite message" puts on the clipboard: a few lines for any chat. */
export function inviteMessage(partyName: string, partyId: string): string {
  return [
    `Join my LANrage party "${partyName}": ${inviteLink(partyId)}`,
    `Or open LANrage, press Join party and paste the party ID: ${partyId}`,
  ].join('\n');
}
