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

  // README moves the port with `-e LANRAGE_SERVER_PORT=9000`; in that container `admin parties`
  // asked 8667 all the same, and plain http of a server with a certificate.
  it.each([
    [{ LANRAGE_SERVER_PORT: '18667' }, 'http://127.0.0.1:18667'],
    [{ LANRAGE_SERVER_TLS_CERT: '/run/cert.pem' }, 'https://127.0.0.1:8667'],
    [{ LANRAGE_SERVER_PORT: '9000', LANRAGE_SERVER_HOST: '0.0.0.0' }, 'http://127.0.0.1:9000'],
    [{ LANRAGE_SERVER_HOST: '::' }, 'http://127.0.0.1:8667'],
    [{ LANRAGE_SERVER_HOST: '10.0.0.5' }, 'http://10.0.0.5:8667'],
    [{ LANRAGE_SERVER_HOST: 'fd00::5', LANRAGE_SERVER_TLS_CERT: 'c' }, 'https://[fd00::5]:8667'],
    [{ LANRAGE_SERVER_PORT: '' }, 'http://127.0.0.1:8667'],
  ])("without --url, follows the server's own variables: %j", (env, url) => {
    const given = parseAdminArgs(['parties', '--token-file', 'f'], env);
    expect(given.url).toBe(url);
    // --url wins.
    const flagged = ['parties', '--url', 'http://h:1', '--token-file', 'f'];
    expect(parseAdminArgs(flagged, env).url).toBe('http://h:1');
  });

  it('refuses a server port it cannot use, quoting it, unless --url is given', () => {
    const env = { LANRAGE_SERVER_PORT: '8667 ' };
    expect(() => parseAdminArgs(['parties', '--token-file', 'f'], env)).toThrow(
      /^LANRAGE_SERVER_PORT "8667 ": must be a whole number .*; give --url\. Usage: admin /,
    );
    const zero = { LANRAGE_SERVER_PORT: '0' };
    expect(() => parseAdminArgs(['parties', '--token-file', 'f'], zero)).toThrow(/"0": must not/);
    const flagged = ['parties', '--url', 'http://h:1', '--token-file', 'f'];
    expect(parseAdminArgs(flagged, env).url).toBe('http://h:1');
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
