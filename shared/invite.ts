/**
 * Invites: what a user pastes into the join dialog or clicks as a link. Shared by the
 * renderer (to explain a malformed invite before any round trip) and main (deep links).
 */
import { INVITE_TOKEN_PATTERN } from './access/protocol';
import { canonicalPartyId, ID_CHARACTERS, ID_PATTERN, MAX_ID_LENGTH } from './values/ids';
import { CertificatePinSchema, HostAddressSchema, MAX_HOST_ADDRESSES } from './lan-party';
import { controlServerUrls, MAX_CONTROL_SERVER_LENGTH } from './values/server-url';

export const INVITE_SCHEME = 'lanrage:';

/**
 * `invite`: the token of an invite link (`?invite=`), present only when the link had one.
 * `server`: the control server the party is on, when the link says (`?server=` of a
 * `lanrage://` link, or the server that served an `https://…/join/` link).
 * `pin`: for a party without a server, the certificate pin of its host's PC (`?pin=`): only
 * a host showing that certificate is joined, whoever else announces the party on the LAN.
 * `at`: where that host answers over TLS (`?at=10.0.0.5:8669,…`), dialled when the LAN does
 * not announce the party (its discovery blocked), and only to be shown the pinned certificate.
 */
export type InviteParse =
  | { ok: true; partyId: string; invite?: string; server?: string; pin?: string; at?: string[] }
  | { ok: false; message: string };

/** The query parameter naming where a LAN party's host answers over TLS. */
export const AT_PARAM = 'at';

const NOT_A_LINK = 'That link is not a LANrage invite (lanrage://join/<party ID>).';
const DAMAGED_LINK =
  'That invite link is damaged (a "%" escape in it is not valid): ask for it again.';
const DAMAGED_TOKEN =
  'The invite code in that link is incomplete or damaged: ask your host to send the link again.';
const DAMAGED_SERVER =
  'The server address in that link is not valid: ask your host to send the link again.';
const DAMAGED_PIN =
  "The host's certificate in that link is not valid: ask your host to send the link again.";
const DAMAGED_AT =
  "The host's address in that link is not valid (at most " +
  `${MAX_HOST_ADDRESSES} IPv4 addresses with their port, as 10.0.0.5:8669): ` +
  'ask your host to send the link again.';
const AT_WITHOUT_PIN =
  "That link names its host's address but not the host's certificate, and LANrage dials an " +
  'address only to check that certificate: ask your host to send the link again.';
const NOT_AN_ID =
  'That is not a valid party ID: use the letters, digits, "_", "-", "." or ":" your host sent you.';
const ID_TOO_LONG =
  `That party ID is too long: one has at most ${MAX_ID_LENGTH} characters. ` +
  'Check it with your host.';

/**
 * The first invite link or party id inside a chat message ("join my party: party_abc"),
 * whichever comes first. A link is whatever follows `lanrage://` or a web origin up to a
 * blank, quote or bracket, when its path leads to `join/` (a doubled slash too: it is read,
 * and refused, as the link it is); ids are recognised by the `party_` prefix every generated id
 * has. Sentence punctuation after either is not part of it.
 */
const EMBEDDED =
  /((?:lanrage:\/\/|https?:\/\/[^\s/?#"'<>()]+\/)\/*join\/[^\s"'<>()]*)|(?<![A-Za-z0-9_.:-])(party_[A-Za-z0-9_.:-]+)/i;

/** Pasted text that is one link and nothing else (a scheme, no blank): read whole, not searched. */
const WHOLE_LINK = /^(?:lanrage:|https?:\/\/)\S*$/i;

/**
 * What follows a web link's origin, or `lanrage:/` in the app's link: `/join/<id>`, at most
 * one `/` after the id, then maybe `?<query>` and a `#…` (ignored: a browser never sends it).
 * `join` in any case, as the id; `//join/` or anything after the id's `/` is no invite link.
 */
const JOIN_TARGET = /^\/join\/([^?#]*)(?:\?([^#]*))?(?:#.*)?$/i;

/** Chat markup around a pasted link (Slack, Discord, mail: `<https://…>`). */
function unwrapAngles(text: string): string {
  return /^<[^<>]*>$/.test(text) ? text.slice(1, -1).trim() : text;
}

/** What ends a sentence after a link in chat: "join lanrage://…, pw is …" or "…/ws!". */
function trimPunctuation(token: string): string {
  return token.replace(/[.,;:!?-]+$/, '');
}

/**
 * The party id of an invite link: what follows `join/` up to the query, `%xx` escapes decoded
 * (a malformed one gets its own message), at most one `/` after it, checked and in its
 * canonical case.
 */
function joinPathParty(rest: string): InviteParse {
  const segment = rest.endsWith('/') ? rest.slice(0, -1) : rest;
  if (segment === '' || segment.includes('/')) return { ok: false, message: NOT_A_LINK };
  const decoded = decodeEscapes(segment);
  if (decoded === null) return { ok: false, message: DAMAGED_LINK };
  return checkId(decoded);
}

/**
 * An invite link's token (`?invite=`): null without one, `false` for one that is not a token
 * (cut short in a chat, say), which the app and the join page refuse alike.
 */
function inviteTokenIn(params: URLSearchParams): string | null | false {
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
  const host = lanHostIn(params);
  if ('message' in host) return { ok: false, message: host.message };
  return {
    ...id,
    ...(token === null ? {} : { invite: token }),
    ...(server === null ? {} : { server }),
    ...host,
  };
}

/** A LAN party's host as a link names it: its certificate's pin, and where it answers. */
function lanHostIn(params: URLSearchParams): { pin?: string; at?: string[] } | { message: string } {
  // A SHA-256 in base64url never ends in "-" or "_": trimPunctuation leaves a pin whole.
  const pin = params.get('pin');
  if (pin !== null && !CertificatePinSchema.safeParse(pin).success) return { message: DAMAGED_PIN };
  const at = params.get(AT_PARAM);
  if (at === null) return pin === null ? {} : { pin };
  const addresses = hostAddressesIn(at);
  if (addresses === null) return { message: DAMAGED_AT };
  // An address is dialled only to be shown the pinned certificate: never to send anything.
  if (pin === null) return { message: AT_WITHOUT_PIN };
  return { pin, at: addresses };
}

/** `10.0.0.5:8669,192.168.1.20:8669` as a list (each once), or null when any is not one. */
function hostAddressesIn(text: string): string[] | null {
  const listed = text.split(',');
  if (listed.length > MAX_HOST_ADDRESSES) return null;
  if (!listed.every((one) => HostAddressSchema.safeParse(one).success)) return null;
  return [...new Set(listed)];
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
 * THE reader of an invite link, for the app and the server's join page alike: `target` is
 * what follows the origin of a web link (`https://<server>`, passed as `origin`: the party's
 * server) or `lanrage:/` of the app's; for a web link it is what a browser requests. Either
 * the party (its id checked and canonical, the token, server and pin) or why it is refused,
 * in words both show. server/access/join-page.ts reads its requests here.
 */
export function readJoinTarget(target: string, origin?: string): InviteParse {
  const parts = JOIN_TARGET.exec(target);
  if (!parts) return { ok: false, message: NOT_A_LINK };
  return fromLink(parts[1] ?? '', parts[2], origin);
}

/**
 * A whole link: `lanrage:/<target>`, or a web link as a browser would request it (its path
 * and query, dot segments resolved, other characters %-encoded as the join page receives
 * them), with its origin as the party's server.
 */
function readLink(link: string): InviteParse {
  if (link.toLowerCase().startsWith(INVITE_SCHEME)) {
    const rest = link.slice(INVITE_SCHEME.length);
    return rest.startsWith('/')
      ? readJoinTarget(rest.slice(1))
      : { ok: false, message: NOT_A_LINK };
  }
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { ok: false, message: NOT_A_LINK };
  }
  if (url.username !== '' || url.password !== '') return { ok: false, message: DAMAGED_SERVER };
  return readJoinTarget(url.pathname + url.search, url.origin);
}

/**
 * Accepts a bare party id, an invite link (`lanrage://join/<party_id>…` or the server's
 * `https://…/join/<party_id>…`), or a message containing either; surrounding blanks and `<…>`
 * ignored, the id returned in its canonical (lower) case. A text that is one link is read
 * whole, as the join page and a click read it: a bad one is refused, not searched for an id.
 */
export function parseInvite(text: string): InviteParse {
  const trimmed = unwrapAngles(text.trim());
  if (trimmed === '') return { ok: false, message: 'Paste a party ID or an invite link.' };
  if (WHOLE_LINK.test(trimmed)) return readLink(trimmed);
  if (ID_PATTERN.test(trimmed)) return checkId(trimmed);
  const [, link, bareId] = EMBEDDED.exec(trimmed) ?? [];
  if (link) return readLink(trimPunctuation(link));
  if (bareId) return checkId(trimPunctuation(bareId));
  const message = trimmed.toLowerCase().includes(INVITE_SCHEME)
    ? NOT_A_LINK
    : notAnIdWords(trimmed);
  return { ok: false, message };
}

/**
 * A clicked link (handed over by the system, a second launch, or the headless CLI's
 * argument): only the whole `lanrage://join/<id>[?…]` form LANrage makes, read as a pasted
 * one is. Not a web link, nor one inside other text: the system hands over what was clicked.
 */
export function parseInviteLink(link: string): InviteParse {
  const trimmed = link.trim();
  if (!/^lanrage:\S*$/i.test(trimmed)) return { ok: false, message: NOT_A_LINK };
  return readLink(trimmed);
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
 * the link names a server), and `at=<address:port>,…` for where that PC answers over TLS
 * (only with its pin; at most MAX_HOST_ADDRESSES).
 */
export function inviteLink(
  partyId: string,
  token?: string,
  server?: string | null,
  pin?: string | null,
  at?: readonly string[] | null,
): string {
  const params: string[] = [];
  if (server)
    params.push(`server=${encodeURIComponent(server).replace(/%3A|%2F/g, decodeURIComponent)}`);
  // A party on a server is reached there, never by a PC's certificate.
  if (pin && !server) params.push(`pin=${encodeURIComponent(pin)}`);
  // Addresses and ports only (HostAddressSchema): nothing in them needs escaping.
  const hosts = (at ?? []).slice(0, MAX_HOST_ADDRESSES);
  if (pin && !server && hosts.length > 0) params.push(`${AT_PARAM}=${hosts.join(',')}`);
  return `lanrage:/${joinPath(partyId, token, params)}`;
}

/**
 * `/join/<party id>?invite=<token>&…`: the path of every invite link, the id and token
 * percent-encoded as readJoinTarget reads them back.
 */
function joinPath(partyId: string, token?: string, more: readonly string[] = []): string {
  const params = token === undefined ? [...more] : [`invite=${encodeURIComponent(token)}`, ...more];
  const query = params.length === 0 ? '' : `?${params.join('&')}`;
  return `/join/${encodeURIComponent(partyId)}${query}`;
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
 * without a server, `at`: where that PC answers.
 */
export function inviteMessage(
  partyName: string,
  partyId: string,
  {
    invite,
    server,
    pin,
    at,
  }: {
    invite?: { token: string; url: string | null };
    server?: string | null;
    pin?: string | null;
    at?: readonly string[] | null;
  } = {},
): string {
  const link = inviteLink(partyId, invite?.token, server, pin, at);
  const lines = invite?.url
    ? [`Join my LANrage party "${partyName}": ${invite.url}`, `(or in LANrage: ${link})`]
    : [`Join my LANrage party "${partyName}": ${link}`];
  if (!invite) lines.push(`Or open LANrage, press Join party and paste the party ID: ${partyId}`);
  return lines.join('\n');
}
