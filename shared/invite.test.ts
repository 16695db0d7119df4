import { describe, expect, it } from 'vitest';
import { canonicalPartyId } from './values/ids';
import {
  inviteLink,
  inviteMessage,
  parseInvite,
  parseInviteLink,
  readJoinTarget,
  type InviteParse,
} from './invite';
import { ClientMessageSchema } from './protocol/client-messages';
import { inviteLinkCases, PASTED, type LinkRead } from './test-support/invite-links';

const ok = (partyId: string) => ({ ok: true, partyId });

describe('parseInvite', () => {
  it('accepts a bare id and a link, blanks around them ignored', () => {
    expect(parseInvite('  party_abc123 ')).toEqual(ok('party_abc123'));
    expect(parseInvite('lanrage://join/party_abc123')).toEqual(ok('party_abc123'));
    expect(parseInvite('lanrage://join/party_abc123/')).toEqual(ok('party_abc123'));
  });

  it('matches ids case-insensitively: capitals fold to the canonical lower case', () => {
    expect(parseInvite('PARTY_ABC123')).toEqual(ok('party_abc123'));
    expect(parseInvite('LANRAGE://JOIN/Party_AbC123')).toEqual(ok('party_abc123'));
    expect(parseInvite('Hey, join PARTY_XYZ9 tonight')).toEqual(ok('party_xyz9'));
  });

  it('finds the first id or link inside pasted chat text', () => {
    expect(parseInvite('join my party: party_k7m2p9q4rs')).toEqual(ok('party_k7m2p9q4rs'));
    expect(parseInvite('join my party: party_k7m2p9q4rs.')).toEqual(ok('party_k7m2p9q4rs'));
    expect(parseInvite('link (lanrage://join/party_one) or party_two')).toEqual(ok('party_one'));
    expect(parseInvite('party_two first, then lanrage://join/party_one')).toEqual(ok('party_two'));
    expect(parseInvite(inviteMessage('Gaming Night', 'party_abc123'))).toEqual(ok('party_abc123'));
  });

  it('does not take a party_ fragment glued to another word', () => {
    expect(parseInvite('see myparty_abc please').ok).toBe(false);
  });

  it('explains text with no id in it, and a link that is not an invite', () => {
    expect(parseInvite('')).toEqual({ ok: false, message: 'Paste a party ID or an invite link.' });
    expect(parseInvite('what is this?')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a valid party ID/) as string,
    });
    expect(parseInvite('lanrage://leave/x y')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a LANrage invite/) as string,
    });
  });

  it('says an ID is too long when it is all ID characters, only more than 64 of them', () => {
    const long = `party_${'k'.repeat(60)}`;
    const tooLong = expect.stringMatching(/too long: one has at most 64 characters/) as string;
    expect(parseInvite(long)).toMatchObject({ ok: false, message: tooLong });
    expect(parseInvite(`join my party: ${long}`)).toMatchObject({ ok: false, message: tooLong });
    expect(parseInvite(`lanrage://join/${long}`)).toMatchObject({ ok: false, message: tooLong });
    expect(parseInvite('k'.repeat(65))).toMatchObject({ ok: false, message: tooLong });
    // Exactly 64 is an ID; a long text with other characters in it is not one at all.
    expect(parseInvite('k'.repeat(64))).toEqual({ ok: true, partyId: 'k'.repeat(64) });
    expect(parseInvite(`${'k'.repeat(65)}!`)).toMatchObject({
      message: expect.stringMatching(/not a valid party ID/) as string,
    });
  });

  it('refuses a link whose id is malformed or badly escaped, without throwing', () => {
    expect(parseInvite('lanrage://join/%E0%A4%A').ok).toBe(false);
    expect(parseInvite('lanrage://join/bad%20id').ok).toBe(false);
  });
});

describe('parseInviteLink: a clicked link', () => {
  it('reads the whole lanrage:// form as parseInvite does', () => {
    const link = 'lanrage://join/party_abc123?server=wss://play.example.org';
    expect(parseInviteLink(link)).toEqual(parseInvite(link));
    expect(parseInviteLink(' LANRAGE://JOIN/Party_ABC123 ')).toEqual({
      ok: true,
      partyId: 'party_abc123',
    });
  });

  it('takes no link found inside other text, and no web link; pasted text still is searched', () => {
    const hostile = 'lanrage://x?https://evil.example/join/party_x';
    // Pasted alone it is one link, read whole as a click reads it (it was searched, and read
    // as a party on https://evil.example); inside a message the search finds the web link.
    expect(parseInvite(hostile)).toEqual(parseInviteLink(hostile));
    expect(parseInvite(`see ${hostile}`)).toMatchObject({ server: 'https://evil.example' });
    for (const link of [
      hostile,
      'https://play.example.org/join/party_abc123',
      'lanrage://join/party_abc123 and more',
      'party_abc123',
    ]) {
      expect(parseInviteLink(link), link).toEqual({
        ok: false,
        message: 'That link is not a LANrage invite (lanrage://join/<party ID>).',
      });
    }
  });
});

describe('parseInvite: escapes', () => {
  it('reads a link with escapes decoded', () => {
    expect(parseInvite(inviteLink('party:x'))).toEqual({ ok: true, partyId: 'party:x' });
  });

  it('answers a malformed % escape with a plain message instead of throwing', () => {
    expect(parseInvite('lanrage://join/party_%E0%A4%A')).toEqual({
      ok: false,
      message: 'That invite link is damaged (a "%" escape in it is not valid): ask for it again.',
    });
  });
});

describe('invite texts', () => {
  it('the link and the chat message carry the id', () => {
    expect(inviteLink('party_abc123')).toBe('lanrage://join/party_abc123');
    const message = inviteMessage('LAN Night', 'party_abc123');
    expect(message).toContain('"LAN Night"');
    expect(message).toContain('lanrage://join/party_abc123');
    expect(message).toMatch(/party ID: party_abc123$/);
  });
});

describe('canonical party ids on the wire', () => {
  it('every client message folds party_id, so the server matches any case', () => {
    expect(canonicalPartyId('Party_ABC')).toBe('party_abc');
    const join = ClientMessageSchema.parse({
      type: 'heartbeat',
      party_id: 'PARTY_ABC123',
      peer_id: 'PeerOne',
      request_id: 'r1',
    });
    expect(join).toMatchObject({ party_id: 'party_abc123', peer_id: 'PeerOne' });
  });
});

describe('parseInvite: invite tokens (issue 10)', () => {
  const token = 'k7m2p9q4rsk7m2p9q4rsk7m2p9';

  it('reads the token of a lanrage:// link, and the token and server of an https link', () => {
    const want = { ok: true, partyId: 'party_abc123', invite: token };
    expect(parseInvite(inviteLink('party_abc123', token))).toEqual(want);
    expect(parseInvite(`https://lan.example.org/join/party_abc123?invite=${token}`)).toEqual({
      ...want,
      server: 'https://lan.example.org',
    });
    expect(parseInvite(`http://127.0.0.1:8667/join/PARTY_ABC123/?invite=${token}`)).toEqual({
      ...want,
      server: 'http://127.0.0.1:8667',
    });
  });

  it('a lanrage:// link names the party’s server, readable, and it reads back', () => {
    const server = 'wss://play.example.org:8667';
    const link = inviteLink('party_abc123', token, server);
    expect(link).toBe(`lanrage://join/party_abc123?invite=${token}&server=${server}`);
    expect(parseInvite(link)).toEqual({ ok: true, partyId: 'party_abc123', invite: token, server });
    const bare = inviteLink('party_abc123', undefined, 'ws://10.0.0.5:9000/ws');
    expect(parseInvite(`join me: ${bare}.`)).toEqual({
      ok: true,
      partyId: 'party_abc123',
      server: 'ws://10.0.0.5:9000/ws',
    });
    // A %-escaped one (as other tools write it) reads the same.
    expect(parseInvite('lanrage://join/party_abc123?server=wss%3A%2F%2Fplay.example.org')).toEqual({
      ok: true,
      partyId: 'party_abc123',
      server: 'wss://play.example.org',
    });
  });

  it('a link in chat keeps its server and id when a comma or "!" ends the sentence', () => {
    const link = 'lanrage://join/party_abc123?server=ws://10.0.0.5:8667/ws';
    const want = { ok: true, partyId: 'party_abc123', server: 'ws://10.0.0.5:8667/ws' };
    expect(parseInvite(`join my party ${link}, pw is secret123`)).toEqual(want);
    expect(parseInvite(`join ${link}! pw secret123`)).toEqual(want);
    expect(parseInvite('join http://10.0.0.5:8667/join/party_abc123, pw secret123')).toEqual({
      ok: true,
      partyId: 'party_abc123',
      server: 'http://10.0.0.5:8667',
    });
  });

  it('refuses a server that is not one control server URL', () => {
    const damaged =
      'The server address in that link is not valid: ask your host to send the link again.';
    const long = `ws://${'a'.repeat(600)}.example/ws`;
    const credentials = 'ws://user:pass@10.0.0.5:8667/ws';
    const invalid = ['javascript:alert(1)', 'file:///etc', 'ws://a:1,ws://b:2', 'nope', long];
    for (const server of [...invalid, credentials]) {
      const link = `lanrage://join/party_abc123?server=${encodeURIComponent(server)}`;
      expect(parseInvite(link)).toEqual({ ok: false, message: damaged });
    }
  });

  // The server of a web link is the one that served it: a query cannot send the app elsewhere.
  it('reads a web link’s server as its origin, whatever server its query names', () => {
    const target = '/join/party_abc123?server=wss://elsewhere.example';
    const want = { ok: true, partyId: 'party_abc123', server: 'https://lan.example.org' };
    expect(readJoinTarget(target, 'https://lan.example.org')).toEqual(want);
    expect(parseInvite(`https://lan.example.org${target}`)).toEqual(want);
  });

  it('refuses a web link with a user name or password in its server', () => {
    const damaged =
      'The server address in that link is not valid: ask your host to send the link again.';
    for (const origin of ['https://ann:pw@lan.example.org', 'https://ann@lan.example.org']) {
      expect(parseInvite(`${origin}/join/party_abc123?invite=${token}`)).toEqual({
        ok: false,
        message: damaged,
      });
    }
  });

  it('finds a link with its token inside chat text, sentence punctuation left out', () => {
    const message = inviteMessage('Night', 'party_abc123', {
      invite: { token, url: `https://lan.example.org/join/party_abc123?invite=${token}` },
    });
    expect(parseInvite(message)).toEqual({
      ok: true,
      partyId: 'party_abc123',
      invite: token,
      server: 'https://lan.example.org',
    });
    expect(parseInvite(`come: lanrage://join/party_abc123?invite=${token}.`)).toEqual({
      ok: true,
      partyId: 'party_abc123',
      invite: token,
    });
  });

  it('an https link without a token is the party and its server', () => {
    expect(parseInvite('https://lan.example.org/join/party_abc123')).toEqual({
      ...ok('party_abc123'),
      server: 'https://lan.example.org',
    });
  });

  it('the invite message carries the server the party is on', () => {
    const message = inviteMessage('Night', 'party_abc123', { server: 'wss://play.example.org' });
    expect(parseInvite(message)).toEqual({
      ...ok('party_abc123'),
      server: 'wss://play.example.org',
    });
  });

  it('refuses a malformed token as a damaged invite code instead of sending it', () => {
    // It used to blame a "%" escape the link did not have.
    const damaged = {
      ok: false,
      message:
        'The invite code in that link is incomplete or damaged: ask your host to send the link again.',
    };
    expect(parseInvite('lanrage://join/party_abc123?invite=short')).toEqual(damaged);
    expect(parseInvite('lanrage://join/party_abc123?invite=')).toEqual(damaged);
    expect(parseInvite(`lanrage://join/party_abc123?invite=${token}%00`)).toMatchObject({
      ok: false,
    });
  });

  it('carries the certificate pin of a LAN party’s host, whole even at a sentence’s end', () => {
    // The last of 43 base64url characters of a SHA-256 is never "-" or "_".
    const pin = 'a4ayc_80_OGda4BO_1o_V0etpOqiLx1JwB5S3beHW0s';
    const link = inviteLink('party_abc123', undefined, null, pin);
    expect(link).toBe(`lanrage://join/party_abc123?pin=${pin}`);
    expect(parseInvite(`join us: ${link}.`)).toEqual({ ...ok('party_abc123'), pin });
    const message = inviteMessage('Night', 'party_abc123', { pin });
    expect(parseInvite(message)).toEqual({ ...ok('party_abc123'), pin });
    const damaged = {
      ok: false,
      message:
        "The host's certificate in that link is not valid: ask your host to send the link again.",
    };
    expect(parseInvite('lanrage://join/party_abc123?pin=short')).toEqual(damaged);
    // A party on a server is reached there: its link names no PC's certificate.
    expect(inviteLink('party_abc123', undefined, 'wss://play.example.org', pin)).toBe(
      'lanrage://join/party_abc123?server=wss://play.example.org',
    );
    expect(parseInvite(`lanrage://join/party_abc123?pin=${pin}A`)).toEqual(damaged);
  });

  describe('where a LAN party’s host answers (`at`)', () => {
    const pin = 'a4ayc_80_OGda4BO_1o_V0etpOqiLx1JwB5S3beHW0s';
    const damaged = {
      ok: false,
      message:
        "The host's address in that link is not valid (at most 4 IPv4 addresses with their " +
        'port, as 10.0.0.5:8669): ask your host to send the link again.',
    };
    const withAt = (at: string) => parseInvite(`lanrage://join/party_abc123?pin=${pin}&at=${at}`);

    it('is carried beside the pin, read back whole at a sentence’s end and in a message', () => {
      const at = ['10.0.0.5:8669', '192.168.1.20:8669'];
      const link = inviteLink('party_abc123', undefined, null, pin, at);
      expect(link).toBe(
        `lanrage://join/party_abc123?pin=${pin}&at=10.0.0.5:8669,192.168.1.20:8669`,
      );
      expect(parseInvite(`come: ${link}.`)).toEqual({ ...ok('party_abc123'), pin, at });
      expect(parseInviteLink(link)).toEqual({ ...ok('party_abc123'), pin, at });
      const message = inviteMessage('Night', 'party_abc123', { pin, at });
      expect(parseInvite(message)).toEqual({ ...ok('party_abc123'), pin, at });
      // With an invite token, and the same address twice read once.
      const token = 'A'.repeat(32);
      expect(
        parseInvite(
          `lanrage://join/party_abc123?invite=${token}&pin=${pin}&at=10.0.0.5:8669,10.0.0.5:8669`,
        ),
      ).toEqual({ ...ok('party_abc123'), invite: token, pin, at: ['10.0.0.5:8669'] });
    });

    it('is never written without the pin, nor for a party on a server, nor past four', () => {
      const at = ['10.0.0.1:8669', '10.0.0.2:8669', '10.0.0.3:8669', '10.0.0.4:8669', '10.0.0.5:1'];
      expect(inviteLink('party_abc123', undefined, null, null, at)).toBe(
        'lanrage://join/party_abc123',
      );
      expect(inviteLink('party_abc123', undefined, 'wss://play.example.org', pin, at)).toBe(
        'lanrage://join/party_abc123?server=wss://play.example.org',
      );
      expect(inviteLink('party_abc123', undefined, null, pin, [])).toBe(
        `lanrage://join/party_abc123?pin=${pin}`,
      );
      const four = parseInvite(inviteLink('party_abc123', undefined, null, pin, at));
      expect(four).toEqual({ ...ok('party_abc123'), pin, at: at.slice(0, 4) });
    });

    it('without the pin is refused in words: an address alone is never dialled', () => {
      const refused = {
        ok: false,
        message:
          "That link names its host's address but not the host's certificate, and LANrage " +
          'dials an address only to check that certificate: ask your host to send the link again.',
      };
      expect(parseInvite('lanrage://join/party_abc123?at=10.0.0.5:8669')).toEqual(refused);
      expect(parseInviteLink('lanrage://join/party_abc123?at=10.0.0.5:8669')).toEqual(refused);
      expect(parseInvite(`join: lanrage://join/party_abc123?at=10.0.0.5:8669 now`)).toEqual(
        refused,
      );
    });

    it('refuses anything but up to four IPv4 unicast addresses with a listening port', () => {
      const bad = [
        '',
        '10.0.0.5',
        '10.0.0.5:',
        '10.0.0.5:0',
        '10.0.0.5:65536',
        '10.0.0.5:08669',
        '10.0.0.5:8669:1',
        '10.0.0.256:8669',
        '10.0.0.05:8669',
        '10.0.5:8669',
        '0.0.0.0:8669',
        '224.0.0.251:5353',
        '255.255.255.255:8669',
        'host.example:8669',
        '[::1]:8669',
        '10.0.0.5:8669,',
        '10.0.0.1:1,10.0.0.2:1,10.0.0.3:1,10.0.0.4:1,10.0.0.5:1',
        `10.0.0.5:${'9'.repeat(5000)}`,
      ];
      for (const at of bad) expect([at, withAt(at)]).toEqual([at, damaged]);
      // Loopback reaches only this PC, and is checked against the pin like any other.
      for (const at of ['127.0.0.1:8669', '169.254.3.4:1', '100.64.0.9:65535', '8.8.8.8:443']) {
        expect(withAt(at)).toEqual({ ...ok('party_abc123'), pin, at: [at] });
      }
    });

    it('beside parameters this version does not know, still reads the link (and they it)', () => {
      const link = `lanrage://join/party_abc123?pin=${pin}&at=10.0.0.5:8669&via=x&at2=1`;
      expect(parseInviteLink(link)).toEqual({ ...ok('party_abc123'), pin, at: ['10.0.0.5:8669'] });
    });
  });
});

describe('one reader for every form of an invite link (test-support/invite-links.ts)', () => {
  const SERVER = 'https://lan.example.org';
  const TOKEN = 'Tok3n'.repeat(5);
  const want = (read: LinkRead, server?: string): InviteParse =>
    'refused' in read
      ? { ok: false, message: read.refused }
      : { ok: true, ...read, ...(server && { server }) };

  it.each(inviteLinkCases(TOKEN).map((c) => [c.form, c] as const))('%s', (_form, c) => {
    const web = `${SERVER}${c.target}`;
    // The join page reads what a browser requests for the link: its path and query.
    const sent = new URL(web);
    expect(readJoinTarget(sent.pathname + sent.search, SERVER)).toEqual(want(c.read, SERVER));
    for (const paste of PASTED)
      expect(parseInvite(paste(web)), paste(web)).toEqual(want(c.read, SERVER));
    const app = `lanrage:/${c.target}`;
    expect(parseInviteLink(app)).toEqual(want(c.read));
    for (const paste of PASTED) expect(parseInvite(paste(app)), paste(app)).toEqual(want(c.read));
  });
});
