import { describe, expect, it } from 'vitest';
import type { InvitePreview } from '../../../shared/ipc/app-state';
import { inviteLink } from '../../../shared/invite';
import { InvitePrompt, type LookupPlace, type PartyLookup } from './invite-prompt';
import { inviteLinkCases } from '../../../shared/test-support/invite-links';

const summary = {
  party_id: 'party_abc12345',
  name: 'Quake Night',
  host_name: 'Bob',
  peer_count: 2,
  max_peers: 16,
  join_policy: 'open' as const,
  visibility: 'private' as const,
  locked: false,
};

/** Asking `lookup`, with `configured` the server in use (none: no server answers). */
const at = (lookup: PartyLookup, configured: string | null): LookupPlace => ({
  lookup,
  configured,
  lan: configured === null,
});

/** A prompt, what it showed, and the party ids it looked up (`found`: what they answer). */
function prompt(found: { party: typeof summary | null } = { party: summary }) {
  const shown: (InvitePreview | null)[] = [];
  const asked: string[] = [];
  const told: string[] = [];
  const lookup = (partyId: string, pin?: string) => (
    asked.push(pin === undefined ? partyId : `${partyId} pin ${pin}`),
    Promise.resolve(found.party)
  );
  return {
    prompt: new InvitePrompt(
      (e) => shown.push(e.invite),
      (message) => told.push(message),
    ),
    shown,
    asked,
    told,
    lookup,
  };
}

describe('InvitePrompt and hostile clicked links', () => {
  it('takes only the whole lanrage://join/ form, not a link found inside other text', async () => {
    const { prompt: p, shown, asked, told, lookup } = prompt();
    for (const link of [
      'lanrage://x?https://evil.example/join/party_x',
      'https://play.example.org/join/party_abc12345',
      'join my party: lanrage://join/party_abc12345',
    ]) {
      await p.open(link, at(lookup, null));
    }
    expect(shown).toEqual([]);
    expect(asked).toEqual([]);
    expect(told).toHaveLength(3);
    for (const message of told) {
      expect(message).toBe(
        'Could not open the invite link. That link is not a LANrage invite (lanrage://join/<party ID>).',
      );
    }
  });

  it('shows a link naming a server on this PC like any other: nothing is asked of it before Join', async () => {
    // Every test server and a developer's own listen there; the user still chooses to switch.
    const { prompt: p, shown, asked, told, lookup } = prompt();
    await p.open('lanrage://join/party_a?server=ws://127.0.0.1:6379', at(lookup, null));
    expect(told).toEqual([]);
    expect(asked).toEqual([]);
    expect(shown.at(-1)).toMatchObject({ party_id: 'party_a', server: 'ws://127.0.0.1:6379' });
  });
});

describe('InvitePrompt and the server a link names', () => {
  it('does not look up a party on another server: its maker would learn who opened it', async () => {
    const { prompt: p, shown, asked, lookup } = prompt();
    const link = inviteLink('party_abc12345', undefined, 'wss://play.example.org');
    await p.open(link, at(lookup, 'ws://192.168.1.5:8667'));
    expect(asked).toEqual([]);
    expect(shown.at(-1)).toMatchObject({ name: null, server: 'wss://play.example.org' });
    await p.open(link, at(lookup, null));
    expect(asked).toEqual([]);
  });

  it('looks up a party on the server in use, and says no other server', async () => {
    const { prompt: p, shown, asked, lookup } = prompt();
    const link = inviteLink('party_abc12345', undefined, 'https://play.example.org');
    await p.open(link, at(lookup, 'wss://play.example.org:443/ws'));
    expect(asked).toEqual(['party_abc12345']);
    expect(shown.at(-1)).toMatchObject({ name: 'Quake Night', server: null });
  });

  it('looks a party without a server up by the host certificate its link names', async () => {
    const { prompt: p, asked, lookup } = prompt();
    const pin = 'a4ayc_80_OGda4BO_1o_V0etpOqiLx1JwB5S3beHW0s';
    await p.open(inviteLink('party_abc12345', undefined, null, pin), at(lookup, null));
    expect(asked).toEqual([`party_abc12345 pin ${pin}`]);
  });

  it('looks a waiting link up again only when it was not and its server is in use', async () => {
    const { prompt: p, shown, asked, lookup } = prompt();
    const link = inviteLink('party_abc12345', undefined, 'wss://play.example.org');
    await p.open(link, at(lookup, null));
    await p.lookAgain(at(lookup, 'wss://other.example.org'));
    expect(asked).toEqual([]);
    await p.lookAgain(at(lookup, 'wss://play.example.org'));
    expect(asked).toEqual(['party_abc12345']);
    expect(shown.at(-1)).toMatchObject({ name: 'Quake Night', server: null });
    await p.lookAgain(at(lookup, 'wss://play.example.org'));
    expect(asked).toHaveLength(1);
    p.clear();
    await p.lookAgain(at(lookup, 'wss://play.example.org'));
    expect(asked).toHaveLength(1);
  });
});

/** "Parties nearby" listing `partyId` (the fields sawNearby does not read are filler). */
const nearby = (partyId: string) => [
  {
    party_id: partyId,
    name: 'Quake Night',
    host_name: 'Bob',
    peer_count: 2,
    max_peers: 8,
    join_policy: 'open' as const,
    online_count: 2,
    created_at: '2024-01-01T00:00:00.000Z',
    where: 'lan' as const,
    address: '192.168.1.5',
    contested: false,
    host_pin: null,
  },
];

describe('InvitePrompt without a server (a clicked link starts LANrage before mDNS hears)', () => {
  const link = inviteLink('party_abc12345');

  it('a party not heard yet is looked for, not called missing; listed, it fills in', async () => {
    const found: { party: typeof summary | null } = { party: null };
    const { prompt: p, shown, asked, lookup } = prompt(found);
    await p.open(link, at(lookup, null));
    expect(shown.at(-1)).toMatchObject({ name: null, missing: false, looking: true });
    // Another party listed is no reason to ask again.
    await p.sawNearby(nearby('party_other999'), at(lookup, null));
    expect(asked).toEqual(['party_abc12345']);
    found.party = summary;
    await p.sawNearby(nearby('party_abc12345'), at(lookup, null));
    expect(asked).toEqual(['party_abc12345', 'party_abc12345']);
    expect(shown.at(-1)).toMatchObject({ name: 'Quake Night', missing: false, looking: false });
    // Found, it is not looked up again at every change of the list.
    await p.sawNearby(nearby('party_abc12345'), at(lookup, null));
    expect(asked).toHaveLength(2);
  });

  it('a server answering that there is none is still "missing", and not looked for', async () => {
    const { prompt: p, shown, asked, lookup } = prompt({ party: null });
    await p.open(link, at(lookup, 'wss://play.example.org'));
    expect(shown.at(-1)).toMatchObject({ name: null, missing: true, looking: false });
    await p.sawNearby(nearby('party_abc12345'), at(lookup, 'wss://play.example.org'));
    expect(asked).toHaveLength(1);
  });

  it('a link declined is not looked up when its party is listed later', async () => {
    const { prompt: p, asked, lookup } = prompt({ party: null });
    await p.open(link, at(lookup, null));
    p.clear();
    await p.sawNearby(nearby('party_abc12345'), at(lookup, null));
    expect(asked).toHaveLength(1);
  });
});

describe('InvitePrompt and every form of a clicked link', () => {
  // The same table as the join page (server/access/join-page.test.ts) and the paste box.
  it.each(inviteLinkCases('Tok3n'.repeat(5)).map((c) => [c.form, c] as const))(
    '%s',
    async (_form, { target, read }) => {
      const { prompt: p, shown, told, lookup } = prompt();
      await p.open(`lanrage:/${target}`, at(lookup, null));
      if ('refused' in read) {
        expect(told).toEqual([`Could not open the invite link. ${read.refused}`]);
        expect(shown).toEqual([]);
      } else {
        expect(told).toEqual([]);
        expect(shown.at(-1)).toMatchObject({
          party_id: read.partyId,
          invite_token: read.invite ?? null,
        });
      }
    },
  );
});
