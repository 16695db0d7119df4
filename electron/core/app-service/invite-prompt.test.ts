import { describe, expect, it } from 'vitest';
import type { InvitePreview } from '../../../shared/ipc/app-state';
import { inviteLink } from '../../../shared/invite';
import { InvitePrompt } from './invite-prompt';

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

/** A prompt, what it showed, and the party ids it looked up. */
function prompt() {
  const shown: (InvitePreview | null)[] = [];
  const asked: string[] = [];
  const lookup = (partyId: string, pin?: string) => (
    asked.push(pin === undefined ? partyId : `${partyId} pin ${pin}`),
    Promise.resolve(summary)
  );
  return {
    prompt: new InvitePrompt(
      (i) => shown.push(i),
      () => {},
    ),
    shown,
    asked,
    lookup,
  };
}

describe('InvitePrompt and the server a link names', () => {
  it('does not look up a party on another server: its maker would learn who opened it', async () => {
    const { prompt: p, shown, asked, lookup } = prompt();
    const link = inviteLink('party_abc12345', undefined, 'wss://play.example.org');
    await p.open(link, lookup, 'ws://192.168.1.5:8667');
    expect(asked).toEqual([]);
    expect(shown.at(-1)).toMatchObject({ name: null, server: 'wss://play.example.org' });
    await p.open(link, lookup, null);
    expect(asked).toEqual([]);
  });

  it('looks up a party on the server in use, and says no other server', async () => {
    const { prompt: p, shown, asked, lookup } = prompt();
    const link = inviteLink('party_abc12345', undefined, 'https://play.example.org');
    await p.open(link, lookup, 'wss://play.example.org:443/ws');
    expect(asked).toEqual(['party_abc12345']);
    expect(shown.at(-1)).toMatchObject({ name: 'Quake Night', server: null });
  });

  it('looks a party without a server up by the host certificate its link names', async () => {
    const { prompt: p, asked, lookup } = prompt();
    const pin = 'a4ayc_80_OGda4BO_1o_V0etpOqiLx1JwB5S3beHW0s';
    await p.open(inviteLink('party_abc12345', undefined, null, pin), lookup, null);
    expect(asked).toEqual([`party_abc12345 pin ${pin}`]);
  });

  it('looks a waiting link up again only when it was not and its server is in use', async () => {
    const { prompt: p, shown, asked, lookup } = prompt();
    const link = inviteLink('party_abc12345', undefined, 'wss://play.example.org');
    await p.open(link, lookup, null);
    await p.lookAgain(lookup, 'wss://other.example.org');
    expect(asked).toEqual([]);
    await p.lookAgain(lookup, 'wss://play.example.org');
    expect(asked).toEqual(['party_abc12345']);
    expect(shown.at(-1)).toMatchObject({ name: 'Quake Night', server: null });
    await p.lookAgain(lookup, 'wss://play.example.org');
    expect(asked).toHaveLength(1);
    p.clear();
    await p.lookAgain(lookup, 'wss://play.example.org');
    expect(asked).toHaveLength(1);
  });
});
