/**
 * Invites: what a user pastes into the join dialog or clicks as a link. Shared by the
 * renderer (to explain a malformed invite before any round trip) and main (deep links).
 */
import { INVITE_TOKEN_PATTERN } from './access/protocol';
import { canonicalPartyId, ID_CHARACTERS, ID_PATTERN, MAX_ID_LENGTH } from './ids';
import { CertificatePinSchema } from './lan-party';
import { controlServerUrls, MAX_CONTROL_SERVER_LENGTH } from './server-url';

export const INVITE_SCHEME = 'lanrage:';

/**
 * `invite`: the token of an invite link (`?invite=`), present only when the link had one.
 * `server`: the control server the party is on, when the link says (`?server=` of a
 * `lanrage://` link, or the server that served an `https://…/join/` link).
 * `pin`: for a party without a server, the certificate pin of its host's PC (`?pin=`): only
 * a host showing that certificate is joined, whoever else announces the party on the LAN.
 */
export type InviteParse =
  | { ok: true; partyId: string; invite?: string; server?: string; pin?: string }
  | { ok: false; message: string };

const NOT_A_LINK = 'That link is not a LANrage invite (lanrage://join/<party ID>).';
const DAMAGED_LINK =
  'That invite link is damaged (a "%" escape in it is not valid): ask for it again.';
const DAMAGED_TOKEN =
  'The invite code in that link is incomplete or damaged: ask your host to send the link again.';
const DAMAGED_SERVER =
  'The server address in that link is not valid: ask your host to send the link again.';
const DAMAGED_PIN =
  "The host's certificate in that link is not valid: ask your host to send the link again.";
const NOT_AN_ID =
  'That is not a valid party ID: use the letters, digits, "_", "-", "." or ":" your host sent you.';
const ID_TOO_LONG =
  `That party ID is too long: one has at most ${MAX_ID_LENGTH} characters. ` +
  'Check it with your host.';

/**
 * The first invite link or party id inside a chat message ("join my party: party_abc"),
 * whichever comes first. Ids are recognised by the `party_` prefix every generated id has;
 * sentence punctuation after them is not part of the id.
 */
const EMBEDDED =
  /(?:lanrage:\/\/|(https?:\/\/[^\s/?#"'<>()]+)\/)join\/([^\s/?#"'<>()]+)(?:\/?\?([^\s#"'<>()]*))?|(?<![A-Za-z0-9_.:-])(party_[A-Za-z0-9_.:-]+)/i;

/** A whole link: `lanrage://join/<id>` or the server's `https://<server>/join/<id>`, maybe `?invite=`. */
const EXACT_LINK =
  /^(?:lanrage:\/\/|(https?:\/\/[^\s/?#]+)\/)join\/([^/?#\s]+)\/?(?:\?([^#\s]*))?$/i;

/** What ends a sentence after a link in chat: "join lanrage://…, pw is …" or "…/ws!". */
function trimPunctuation(token: string): string {
  return token.replace(/[.,;:!?-]+$/, '');
}

/**
 * Where an invite's path starts on a server (`https://<server>/join/<id>`); a `lanrage://`
 * link has it after the scheme (`lanrage://join/<id>`).
 */
export const JOIN_PATH = '/join/';

/**
 * The party id of an invite link: what follows `join/` up to the query, `%xx` escapes decoded
 * (a malformed one gets its own message), at most one `/` after it, checked and in its
 * canonical case. The app's links and the server's join page read it here, so both take the
 * same ids (percent-encoded or not, with or without that slash).
 */
export function joinPathParty(rest: string): InviteParse {
  const segment = rest.endsWith('/') ? rest.slice(0, -1) : rest;
  if (segment === '' || segment.includes('/')) return { ok: false, message: NOT_A_LINK };
  const decoded = decodeEscapes(segment);
  if (decoded === null) return { ok: false, message: DAMAGED_LINK };
  return checkId(decoded);
}

/**
 * An invite link's token (`?invite=`): null without one, `false` for one that is not a token
 * (cut short in a chat, say). The app refuses such a link; the join page shows the party
 * as to someone without an invite.
 */
export function inviteTokenIn(params: URLSearchParams): string | null | false {
  const token = params.get('invite');
  if (token === null) return null;
  return INVITE_TOKEN_PATTERN.test(token) ? token : false;
}

/**
 * The id in a link's path, its invite token, and its server: `origin` for a web link, else
 * the `server` the query names.
 */
function fromLink(path: string, query = '', origin?: string): InviteParse {
  const id = joinPathParty(path);
  if (!id.ok) return id;
  const params = new URLSearchParams(query);
  const token = inviteTokenIn(params);
  if (token === false) return { ok: false, message: DAMAGED_TOKEN };
  const server = origin ?? params.get('server');
  if (server !== null && !isOneServer(server)) return { ok: false, message: DAMAGED_SERVER };
  // A SHA-256 in base64url never ends in "-" or "_": trimPunctuation leaves a pin whole.
  const pin = params.get('pin');
  if (pin !== null && !CertificatePinSchema.safeParse(pin).success) {
    return { ok: false, message: DAMAGED_PIN };
  }
  return {
    ...id,
    ...(token === null ? {} : { invite: token }),
    ...(server === null ? {} : { server }),
    ...(pin === null ? {} : { pin }),
  };
}

/**
 * One control server URL, as long as Settings takes one, without a user name or password
 * (a link must not put credentials in the user's settings).
 */
function isOneServer(text: string): boolean {
  if (text.length > MAX_CONTROL_SERVER_LENGTH || controlServerUrls(text)?.length !== 1) {
    return false;
  }
  const url = new URL(text);
  return url.username === '' && url.password === '';
}

function checkId(candidate: string): InviteParse {
  if (!ID_PATTERN.test(candidate)) return { ok: false, message: notAnIdWords(candidate) };
  return { ok: true, partyId: canonicalPartyId(candidate) };
}

/**
 * Accepts a bare party id, a `lanrage://join/<party_id>` link, or a message containing
 * either; surrounding blanks ignored, the id returned in its canonical (lower) case.
 */
export function parseInvite(text: string): InviteParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Paste a party ID or an invite link.' };
  const exactLink = EXACT_LINK.exec(trimmed);
  if (exactLink?.[2]) return fromLink(exactLink[2], exactLink[3], exactLink[1]);
  if (ID_PATTERN.test(trimmed) && !trimmed.toLowerCase().startsWith(INVITE_SCHEME)) {
    return checkId(trimmed);
  }
  const found = EMBEDDED.exec(trimmed);
  const [, origin, path, query, bareId] = found ?? [];
  if (path && query !== undefined) return fromLink(path, trimPunctuation(query), origin);
  if (path) return fromLink(trimPunctuation(path), '', origin);
  if (bareId) return checkId(trimPunctuation(bareId));
  const message = trimmed.toLowerCase().includes(INVITE_SCHEME)
    ? NOT_A_LINK
    : notAnIdWords(trimmed);
  return { ok: false, message };
}

/**
 * A clicked link (handed over by the system, a second launch, or the headless CLI's
 * argument): only the whole `lanrage://join/<id>[?…]` form LANrage makes. The chat-message
 * search parseInvite falls back on read `lanrage://x?https://evil.example/join/party_x` as a
 * party on https://evil.example; what a user pastes is still read that way.
 */
export function parseInviteLink(link: string): InviteParse {
  const exact = EXACT_LINK.exec(link.trim());
  if (!exact?.[2] || exact[1] !== undefined) return { ok: false, message: NOT_A_LINK };
  return fromLink(exact[2], exact[3]);
}

/** Why text is not a party ID: too long (all of it could be one), or not an ID at all. */
function notAnIdWords(text: string): string {
  return ID_CHARACTERS.test(text) && text.length > MAX_ID_LENGTH ? ID_TOO_LONG : NOT_AN_ID;
}

/** `%xx` escapes decoded; null for a malformed one (decodeURIComponent would throw). */
function decodeEscapes(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * `lanrage://join/<party_id>`, with `?invite=<token>` for an invite, `server=<url>` for
 * the control server the party is on (its ":" and "/" left as they are, so it reads), and
 * `pin=<pin>` for the certificate of the PC hosting a party without a server (dropped when
 * the link names a server).
 */
export function inviteLink(
  partyId: string,
  token?: string,
  server?: string | null,
  pin?: string | null,
): string {
  const params: string[] = [];
  if (server)
    params.push(`server=${encodeURIComponent(server).replace(/%3A|%2F/g, decodeURIComponent)}`);
  // A party on a server is reached there, never by a PC's certificate.
  if (pin && !server) params.push(`pin=${encodeURIComponent(pin)}`);
  return `lanrage:/${joinPath(partyId, token, params)}`;
}

/**
 * `/join/<party id>?invite=<token>&…`: the path of every invite link, the id and token
 * percent-encoded as joinPathParty and inviteTokenIn read them back.
 */
function joinPath(partyId: string, token?: string, more: readonly string[] = []): string {
  const params = token === undefined ? [...more] : [`invite=${encodeURIComponent(token)}`, ...more];
  const query = params.length === 0 ? '' : `?${params.join('&')}`;
  return `${JOIN_PATH}${encodeURIComponent(partyId)}${query}`;
}

/**
 * The server's web link for an invite, `<publicUrl>/join/<party id>?invite=<token>`: the page
 * that opens LANrage with it (server/access/join-page.ts). `publicUrl` has no trailing `/`.
 */
export function inviteWebLink(publicUrl: string, partyId: string, token: string): string {
  return `${publicUrl}${joinPath(partyId, token)}`;
}

/**
 * What "Copy invite message" puts on the clipboard: a few lines for any chat. With an
 * invite, its link; and the server's https link first when there is one, since chat apps
 * make only web links clickable. `server`: the control server the party is on, for friends
 * whose LANrage uses another (or none); `pin`: the certificate of the PC hosting a party
 * without a server.
 */
export function inviteMessage(
  partyName: string,
  partyId: string,
  {
    invite,
    server,
    pin,
  }: {
    invite?: { token: string; url: string | null };
    server?: string | null;
    pin?: string | null;
  } = {},
): string {
  const link = inviteLink(partyId, invite?.token, server, pin);
  const lines = invite?.url
    ? [`Join my LANrage party "${partyName}": ${invite.url}`, `(or in LANrage: ${link})`]
    : [`Join my LANrage party "${partyName}": ${link}`];
  if (!invite) lines.push(`Or open LANrage, press Join party and paste the party ID: ${partyId}`);
  return lines.join('\n');
}
