/**
 * The invite link forms the app and the server's join page must read alike, and what each is
 * read as: one table for shared/invite.test.ts, the join page (server/access/join-page.test.ts),
 * the app's paste box (renderer JoinDialog.test.tsx) and its deep links
 * (electron/core/app-service/invite-prompt.test.ts), so the readers cannot drift. A form is
 * taken when a chat app, a browser or a user retyping the link plausibly makes it; the rest is
 * refused in the same words everywhere.
 */

export const REFUSED = {
  NOT_A_LINK: 'That link is not a LANrage invite (lanrage://join/<party ID>).',
  NOT_AN_ID:
    'That is not a valid party ID: use the letters, digits, "_", "-", "." or ":" your host sent you.',
  DAMAGED_LINK: 'That invite link is damaged (a "%" escape in it is not valid): ask for it again.',
  DAMAGED_TOKEN:
    'The invite code in that link is incomplete or damaged: ask your host to send the link again.',
} as const;

/** What a link is read as: its party and token, or the words of its refusal. */
export type LinkRead = { partyId: string; invite?: string } | { refused: string };

export interface LinkCase {
  /** Why the form is taken or refused. */
  form: string;
  /** What follows the origin of the web link (`https://<server>`), or `lanrage:/` of the app's. */
  target: string;
  read: LinkRead;
}

/** Every form, for an invite token `token` of party_abc (the join page's test makes a real one). */
export function inviteLinkCases(token: string): LinkCase[] {
  const x = (invite?: string): LinkRead => ({ partyId: 'party_abc', ...(invite && { invite }) });
  const refused = (words: string): LinkRead => ({ refused: words });
  return [
    { form: 'as built', target: `/join/party_abc?invite=${token}`, read: x(token) },
    { form: 'without a token', target: '/join/party_abc', read: x() },
    { form: 'a trailing slash', target: `/join/party_abc/?invite=${token}`, read: x(token) },
    { form: 'a trailing slash, no token', target: '/join/party_abc/', read: x() },
    { form: 'upper case (retyped)', target: `/JOIN/Party_ABC?invite=${token}`, read: x(token) },
    { form: 'an empty query', target: '/join/party_abc?', read: x() },
    {
      form: 'a parameter a chat app or a shortener adds',
      target: `/join/party_abc?invite=${token}&utm_source=chat`,
      read: x(token),
    },
    {
      form: 'a fragment (never sent)',
      target: `/join/party_abc?invite=${token}#top`,
      read: x(token),
    },
    { form: 'a fragment after the id', target: '/join/party_abc#top', read: x() },
    { form: 'an escaped "_"', target: `/join/party%5Fabc?invite=${token}`, read: x(token) },
    { form: 'an escape in lower case', target: '/join/Party%5fAbc/', read: x() },
    {
      form: 'an escaped ":" (as built)',
      target: '/join/party%3Aabc',
      read: { partyId: 'party:abc' },
    },
    {
      form: 'a doubled slash before join',
      target: `//join/party_abc?invite=${token}`,
      read: refused(REFUSED.NOT_A_LINK),
    },
    {
      form: 'a doubled slash after join',
      target: '/join//party_abc',
      read: refused(REFUSED.NOT_A_LINK),
    },
    {
      form: 'two trailing slashes',
      target: '/join/party_abc//',
      read: refused(REFUSED.NOT_A_LINK),
    },
    {
      form: 'more path after the id',
      target: '/join/party_abc/more',
      read: refused(REFUSED.NOT_A_LINK),
    },
    { form: 'no id', target: '/join/', read: refused(REFUSED.NOT_A_LINK) },
    { form: 'an escaped slash', target: '/join/party%2Fabc', read: refused(REFUSED.NOT_AN_ID) },
    {
      form: 'an escaped space after the id',
      target: '/join/party_abc%20',
      read: refused(REFUSED.NOT_AN_ID),
    },
    {
      form: 'a letter outside the id’s',
      target: '/join/p%C3%A4rty',
      read: refused(REFUSED.NOT_AN_ID),
    },
    { form: 'an escaped "%"', target: '/join/party%25abc', read: refused(REFUSED.NOT_AN_ID) },
    { form: 'a broken escape', target: '/join/party%zz', read: refused(REFUSED.DAMAGED_LINK) },
    {
      form: 'a token cut short',
      target: '/join/party_abc?invite=Tok3n',
      read: refused(REFUSED.DAMAGED_TOKEN),
    },
    {
      form: 'an empty token',
      target: '/join/party_abc?invite=',
      read: refused(REFUSED.DAMAGED_TOKEN),
    },
  ];
}

/**
 * How a link arrives in the paste box from a chat: as it is, with blanks around, in the `<…>`
 * some chat apps and mail put around links, or inside a message. Each reads as the link.
 */
export const PASTED: ReadonlyArray<(link: string) => string> = [
  (link) => link,
  (link) => `  ${link}\n`,
  (link) => ` <${link}> `,
  (link) => `join my party: ${link}`,
  (link) => `join my party: <${link}> tonight`,
];
