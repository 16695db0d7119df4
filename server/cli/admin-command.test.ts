import { describe, expect, it } from 'vitest';
import { parseAdminArgs, partyTable } from './admin-command';

describe('admin command line', () => {
  it('takes the URL the server prints (ws://…/ws) as its origin; defaults to port 8667', () => {
    const given = parseAdminArgs([
      'parties',
      '--url',
      'wss://lan.example.org/ws',
      '--token-file',
      'f',
    ]);
    expect(given).toEqual({ command: 'parties', url: 'https://lan.example.org', tokenFile: 'f' });
    expect(parseAdminArgs(['end-party', 'party_x', '--token-file', 'f'])).toEqual({
      command: 'end-party',
      partyId: 'party_x',
      url: 'http://127.0.0.1:8667',
      tokenFile: 'f',
    });
  });

  it.each([
    [['parties'], /--token-file FILE is required/],
    [['end-party', '--token-file', 'f'], /wrong arguments for end-party/],
    [['end-party', 'a/b', '--token-file', 'f'], /a\/b is not a party id/],
    [['parties', 'x', '--token-file', 'f'], /wrong arguments for parties/],
    [['--token-file', 'f'], /a command is required/],
    // Said first: asking for the token file hid that the command was missing.
    [[], /^a command is required: parties or end-party\. Usage: admin /],
    [['--url', 'x'], /^a command is required/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseAdminArgs(argv)).toThrow(message);
  });

  it('prints names without control characters', () => {
    const party = {
      party_id: 'party_x',
      name: 'Evil\u001b[2J',
      host_name: 'H',
      peer_count: 1,
      max_peers: 8,
      visibility: 'public' as const,
      join_policy: 'open' as const,
      locked: true,
      created_at: '2026-01-01T00:00:00.000Z',
    };
    const [, row] = partyTable([party]).split('\n');
    expect(row).toBe(
      'party_x   Evil?[2J  H     1/8    public      open  yes     2026-01-01T00:00:00.000Z',
    );
    expect(partyTable([])).toBe('No parties.');
  });
});
