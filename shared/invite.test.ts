import { describe, expect, it } from 'vitest';
import { inviteLink, parseInvite } from './invite';

describe('parseInvite', () => {
  it('reads a bare id and a link, escapes decoded', () => {
    expect(parseInvite(' party_abc123 ')).toEqual({ ok: true, partyId: 'party_abc123' });
    expect(parseInvite(inviteLink('party:x'))).toEqual({ ok: true, partyId: 'party:x' });
  });

  it('answers a malformed % escape with a plain message instead of throwing', () => {
    expect(parseInvite('lanrage://join/party_%E0%A4%A')).toEqual({
      ok: false,
      message: 'That invite link is damaged (a "%" escape in it is not valid): ask for it again.',
    });
  });
});
