/**
 * `https://<server>/join/<party_id>?invite=<token>`: the page an invite link opens in a
 * browser (chat apps make only web links clickable). It shows the party's public summary,
 * a button that opens LANrage with the invite, and how to get LANrage. Served only when the
 * server knows its public URL (`--public-url`). Every value is escaped, the page runs no
 * script (CSP), and the token never leaves in a Referer.
 */
import { inviteLink, readJoinTarget, type InviteParse } from '../../shared/invite';
import type { PartySummaryDict } from '../../shared/access/protocol';

export const JOIN_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export interface JoinRequestPath {
  partyId: string;
  token: string | null;
}

/** A request for `/join/…` in any case, its slash doubled or not: this page's to answer. */
const JOIN_REQUEST = /^\/+join\//i;

/**
 * A `/join/…` request target (`origin`: this server's public URL) read by the app's own reader
 * (shared/invite.ts readJoinTarget): the party and token, or why the link is refused, in the
 * words the app says; null for any other path.
 */
export function parseJoinPath(target: string, origin: string): InviteParse | null {
  return JOIN_REQUEST.test(target) ? readJoinTarget(target, origin) : null;
}

const POLICY_WORDS: Record<PartySummaryDict['join_policy'], string> = {
  open: 'Anyone with the link can join.',
  password: 'Joining needs the password the host gave you.',
  approval: 'The host lets each player in.',
  invite_only: 'Only invited players can join.',
};

/**
 * What the page may show of the party: its summary, nothing (it is gone), or only that it
 * asks for an invite this link does not hold (shared/party/summary.ts, summaryNeedsInvite).
 */
export type JoinPageParty = PartySummaryDict | 'gone' | 'needs_invite';

const NEEDS_INVITE_HTML = [
  '<h1>A party on LANrage</h1>',
  '<p>This party only lets in invited players, and this link holds no invite that works',
  '(none, or one that has expired, been used up or been revoked). Ask the host for a new one.</p>',
].join('\n');

function summaryHtml(party: JoinPageParty, inviteValid: boolean): string {
  if (party === 'gone')
    return '<p>This party does not exist any more. Ask your host for a new link.</p>';
  if (party === 'needs_invite') return NEEDS_INVITE_HTML;
  const summary = party;
  const lines = [
    `<h1>Join “${escapeHtml(summary.name)}” on LANrage</h1>`,
    `<p>Hosted by ${escapeHtml(summary.host_name)} · ${summary.peer_count} of ${summary.max_peers} players</p>`,
    `<p>${escapeHtml(inviteValid ? 'Your invite lets you in.' : POLICY_WORDS[summary.join_policy])}</p>`,
  ];
  if (summary.locked) lines.push('<p>The host has locked the party for now.</p>');
  return lines.join('\n');
}

const HEAD = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>LANrage party invite</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#111;background:#fff}a.button{display:inline-block;padding:.6rem 1.2rem;background:#1d4ed8;color:#fff;border-radius:.4rem;text-decoration:none}code{word-break:break-all}</style>
</head><body>`;

/** A link the app would refuse too: the page says why in the app's words, and shows nothing. */
export function renderRefusedLink(message: string): string {
  return `${HEAD}
<h1>A LANrage invite link</h1>
<p>${escapeHtml(message)}</p>
</body></html>
`;
}

/** `server`: this server's public URL, which the app link carries to friends on another one. */
export function renderJoinPage(
  path: JoinRequestPath,
  party: JoinPageParty,
  inviteValid: boolean,
  server: string,
): string {
  const token = inviteValid && path.token ? path.token : undefined;
  const link = inviteLink(path.partyId, token, server);
  const expired = path.token !== null && !inviteValid && typeof party !== 'string';
  return `${HEAD}
${summaryHtml(party, inviteValid)}
${expired ? '<p>This invite has expired, been used up or been revoked: ask the host for a new one.</p>' : ''}
<p><a class="button" href="${escapeHtml(link)}">Open in LANrage</a></p>
<p>Nothing happens? Open LANrage, press <b>Join party</b> and paste: <code>${escapeHtml(link)}</code></p>
<h2>Don't have LANrage yet?</h2>
<p>LANrage makes online games feel like a LAN party. Get it from your host or from the LANrage releases page, install it, then open this link again.</p>
</body></html>
`;
}
