/**
 * The invite web link `https://<server>/join/<id>?invite=<token>` as the server builds it
 * (invites.ts), reads it for its join page, and the app reads it pasted: one builder and one
 * reader (shared/invite.ts), so they agree on the party, the token, percent-encoding and a
 * trailing slash. Every other form: shared/test-support/invite-links.ts.
 */
import { describe, expect, it } from 'vitest';
import { inviteWebLink, parseInvite } from '../../shared/invite';
import { inviteDict } from './invites';
import { parseJoinPath } from './join-page';

const SERVER = 'https://lan.example.org';
const TOKEN = 'Tok3n'.repeat(5);

/** What the join page reads of the link, as a browser requests it. */
function page(link: string) {
  const url = new URL(link);
  return parseJoinPath(url.pathname + url.search, SERVER);
}

/** The party each side reads in the link (null: none). */
function readers(link: string): { page: string | null; app: string | null } {
  const [onPage, app] = [page(link), parseInvite(link)];
  return { page: onPage?.ok ? onPage.partyId : null, app: app.ok ? app.partyId : null };
}

describe('the invite web link', () => {
  it('reads back as built, on the page and in the app, for ids of every allowed character', () => {
    for (const id of ['party_abc', 'party.a:b-c_d', 'x']) {
      const link = inviteWebLink(SERVER, id, TOKEN);
      const read = { ok: true, partyId: id, invite: TOKEN, server: SERVER };
      expect(page(link)).toEqual(read);
      expect(parseInvite(link)).toEqual(read);
    }
    expect(inviteWebLink(SERVER, 'party:x', TOKEN)).toBe(
      `${SERVER}/join/party%3Ax?invite=${TOKEN}`,
    );
  });

  it("is what an invite tells its host, at the server's public URL", () => {
    const invite = { invite_id: 'i1', party_id: 'party:x', token: TOKEN, expires_at: 0 };
    const dict = inviteDict({ ...invite, max_uses: null, uses: 0 }, SERVER);
    expect(inviteDict({ ...invite, max_uses: null, uses: 0 }, null).url).toBeNull();
    expect(dict.url).toBe(inviteWebLink(SERVER, 'party:x', TOKEN));
  });

  it('names the same party on both sides: escapes decoded, one trailing slash taken', () => {
    const cases: Array<[path: string, party: string | null]> = [
      ['party_x', 'party_x'],
      ['party_x/', 'party_x'],
      ['party%5Fx', 'party_x'],
      ['party%5fx/', 'party_x'],
      ['party%3Ax', 'party:x'],
      ['PARTY_X', 'party_x'],
      // An escaped slash, space or letter outside the id's characters is no id.
      ['party%2Fx', null],
      ['party_x%2F', null],
      ['party%20x', null],
      ['p%C3%A4rty', null],
      // A broken escape, an escaped escape.
      ['party%zz', null],
      ['party%25x', null],
    ];
    for (const [path, party] of cases) {
      for (const query of [`?invite=${TOKEN}`, '']) {
        const link = `${SERVER}/join/${path}${query}`;
        expect(readers(link), link).toEqual({ page: party, app: party });
      }
    }
  });

  // The page showed the party as to someone without an invite, while the app refused the link.
  it('a damaged token: the page and the app refuse it in the same words', () => {
    const link = `${SERVER}/join/party_x/?invite=${TOKEN.slice(0, 10)}`;
    const app = parseInvite(link);
    expect(app.ok).toBe(false);
    expect(!app.ok && app.message).toMatch(/invite code .* damaged/);
    expect(page(link)).toEqual(app);
  });

  it('the page answers /join/ only (any case, a slash doubled); other paths are not its own', () => {
    expect(parseJoinPath('/', SERVER)).toBeNull();
    expect(parseJoinPath('/joint/party_x', SERVER)).toBeNull();
    expect(parseJoinPath('/join', SERVER)).toBeNull();
    expect(parseJoinPath('//JOIN/party_x', SERVER)).toMatchObject({ ok: false });
  });
});
