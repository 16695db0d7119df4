/**
 * Invites: what a user pastes into the join dialog or clicks as a link. Shared by the
 * renderer (to explain a malformed invite before any round trip) and main (deep links).
 */
import { ID_PATTERN } from './ids';

export const INVITE_SCHEME = 'lanrage:';

export type InviteParse = { ok: true; partyId: string } | { ok: false; message: string };

/** Accepts a bare party id or a `lanrage://join/<party_id>` link, surrounding blanks ignored. */
export function parseInvite(text: string): InviteParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Paste a party ID or an invite link.' };
  let candidate = trimmed;
  if (trimmed.toLowerCase().startsWith(INVITE_SCHEME)) {
    const match = /^lanrage:\/\/join\/([^/?#\s]+)\/?$/i.exec(trimmed);
    if (!match?.[1]) {
      return {
        ok: false,
        message: 'That link is not a LANrage invite (lanrage://join/<party ID>).',
      };
    }
    const decoded = decodeEscapes(match[1]);
    if (decoded === null) {
      return {
        ok: false,
        message: 'That invite link is damaged (a "%" escape in it is not valid): ask for it again.',
      };
    }
    candidate = decoded;
  }
  if (!ID_PATTERN.test(candidate)) {
    return {
      ok: false,
      message:
        'That is not a valid party ID: use the letters, digits, "_", "-", "." or ":" your host sent you.',
    };
  }
  return { ok: true, partyId: candidate };
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
