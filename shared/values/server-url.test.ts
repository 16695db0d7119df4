import { describe, expect, it } from 'vitest';
import { SettingsSchema, SettingsViewSchema } from '../ipc/app-state';
import { ipcContract } from '../ipc/contract';
import { inviteLink, parseInvite } from '../invite';
import {
  controlServerUrls,
  isControlServerUrl,
  namesThisPc,
  serverName,
  shareableServer,
  unencryptedServers,
  usesServer,
  withDefaultScheme,
} from './server-url';

describe('isControlServerUrl', () => {
  it.each([
    'ws://127.0.0.1:8667',
    'wss://control.example.com/ws',
    'http://host',
    'https://h:443/x',
  ])('accepts %s', (url) => expect(isControlServerUrl(url)).toBe(true));
  it.each([
    'http://x:99999',
    'ws://localhost:0',
    'ws://localhost:00',
    'ftp://host',
    'ws://',
    'host:8667',
    'ws://a b',
    'not a url',
  ])('refuses %s', (url) => expect(isControlServerUrl(url)).toBe(false));
  it('makes Settings refuse a port out of range with a readable message', () => {
    const result = SettingsSchema.safeParse({
      peer_name: 'Alice',
      control_server: 'http://x:99999',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/URL/);
  });
});

describe('what a gamer types without a scheme', () => {
  it.each([
    ['192.168.1.5', 'ws://192.168.1.5:8667'],
    ['lan.example.org:9000', 'ws://lan.example.org:9000'],
    ['  host:8667 ', 'ws://host:8667'],
    ['wss://a.example, b.local', 'wss://a.example, ws://b.local:8667'],
    ['https://h', 'https://h'],
    ['', ''],
  ])('%j is read as %j', (typed, url) => expect(withDefaultScheme(typed)).toBe(url));

  it('Settings keep the address as a URL; a space is still refused', () => {
    const saved = SettingsSchema.parse({ peer_name: 'Alice', control_server: '127.0.0.1:8667' });
    expect(saved.control_server).toBe('ws://127.0.0.1:8667');
    const spaced = SettingsSchema.safeParse({ peer_name: 'Alice', control_server: 'a b:1' });
    expect(spaced.success).toBe(false);
  });
});

describe('a list of control servers (several sharing one Redis)', () => {
  it('accepts up to 8 distinct URLs separated by commas, in order', () => {
    expect(controlServerUrls('wss://a.example, wss://b.example:8443')).toEqual([
      'wss://a.example',
      'wss://b.example:8443',
    ]);
    expect(isControlServerUrl('ws://127.0.0.1:1,ws://127.0.0.1:2')).toBe(true);
    expect(serverName('ws://a:1/ws, ws://b:2/ws')).toBe('a:1 or b:2');
  });
  it.each([
    'ws://a:1, ',
    'ws://a:1,,ws://b:2',
    'ws://a:1, ws://a:1',
    'ws://a:1, ftp://b',
    Array.from({ length: 9 }, (_, i) => `ws://h${i}`).join(','),
  ])('refuses %s', (text) => expect(isControlServerUrl(text)).toBe(false));
});

describe('the server an invite names, against the configured one', () => {
  it('is the same server by host and port, TLS or not; the path and the scheme aside', () => {
    expect(usesServer('wss://play.example.org', 'https://play.example.org')).toBe(true);
    expect(usesServer('wss://play.example.org:443/ws', 'https://PLAY.example.org/')).toBe(true);
    expect(usesServer('ws://10.0.0.5:8667', 'http://10.0.0.5:8667/ws')).toBe(true);
    expect(usesServer('ws://a.example:1, ws://10.0.0.5:8667', 'ws://10.0.0.5:8667')).toBe(true);
  });

  it('is this PC’s server however it is spelled: localhost, 127.0.0.1 or ::1', () => {
    expect(usesServer('ws://localhost:8667/ws', 'http://127.0.0.1:8667')).toBe(true);
    expect(usesServer('ws://127.0.0.1:8667', 'ws://[::1]:8667/ws')).toBe(true);
    expect(usesServer('ws://LOCALHOST:8667', 'ws://localhost:8667')).toBe(true);
    expect(usesServer('ws://localhost:8667', 'ws://127.0.0.1:8668')).toBe(false);
    expect(usesServer('ws://localhost:8667', 'wss://127.0.0.1:8667')).toBe(false);
    expect(usesServer('ws://127.0.0.2:8667', 'ws://127.0.0.1:8667')).toBe(false);
  });

  it('is another server on another host, port or TLS, and without a server', () => {
    expect(usesServer('ws://10.0.0.5:8667', 'ws://10.0.0.6:8667')).toBe(false);
    expect(usesServer('ws://10.0.0.5:8667', 'ws://10.0.0.5:8668')).toBe(false);
    expect(usesServer('ws://play.example.org', 'wss://play.example.org')).toBe(false);
    expect(usesServer(null, 'ws://10.0.0.5:8667')).toBe(false);
    expect(usesServer('ws://10.0.0.5:8667', 'not a url')).toBe(false);
  });

  it('an invite carries the configured server, never one that on a friend’s PC is theirs', () => {
    expect(shareableServer('wss://play.example.org, wss://b.example.org')).toBe(
      'wss://play.example.org',
    );
    expect(shareableServer('ws://192.168.1.5:8667')).toBe('ws://192.168.1.5:8667');
    const local = [
      'ws://127.0.0.1:8667',
      'ws://localhost:8667',
      'ws://[::1]:8667',
      'ws://127.1:8667',
      'ws://[::ffff:127.0.0.1]:8667',
      'ws://lanrage.localhost:8667',
      'ws://0.0.0.0:8667',
      'ws://[::]:8667',
      'ws://localhost.:8667',
      'ws://localhost.localdomain:8667',
      'ws://[::ffff:0.0.0.0]:8667',
    ];
    for (const url of local) expect(shareableServer(url), url).toBeNull();
    for (const url of local) expect(namesThisPc(url), url).toBe(true);
    for (const url of ['ws://[::ffff:10.0.0.5]:8667', 'ws://127.example.org:8667']) {
      expect(shareableServer(url), url).toBe(url);
      expect(namesThisPc(url), url).toBe(false);
    }
    expect(namesThisPc('not a url')).toBe(false);
    expect(shareableServer(null)).toBeNull();
  });

  it('an invite never carries a user name or password: not in a chat, and refused as damaged', () => {
    for (const url of ['wss://gamer:hunter2@play.example.org', 'ws://gamer@10.0.0.5:8667']) {
      expect(shareableServer(url), url).toBeNull();
      expect(parseInvite(inviteLink('party_abcdefgh', undefined, shareableServer(url)))).toEqual({
        ok: true,
        partyId: 'party_abcdefgh',
      });
    }
  });
});

describe('a control server address with a user name or password', () => {
  const withCredentials = [
    'ws://user:pass@host:8667',
    'wss://gamer@play.example.org',
    'gamer:hunter2@10.0.0.5:9000',
    'wss://a.example.org, ws://u:p@b.example.org',
  ];
  const words =
    'Remove the user name and password from the control server address (user:pass@): ' +
    'LANrage never sends them';

  it('Settings and the welcome refuse it in words (LANrage would keep them and never send them)', () => {
    for (const server of withCredentials) {
      const result = SettingsSchema.safeParse({ peer_name: 'Alice', control_server: server });
      expect(
        result.error?.issues.map((i) => i.message),
        server,
      ).toEqual([words]);
      expect(result.error?.issues[0]?.path, server).toEqual(['control_server']);
    }
    expect(SettingsSchema.safeParse({ peer_name: 'A', control_server: 'wss://h' }).success).toBe(
      true,
    );
  });

  it('the server test before saving says the same', () => {
    const result = ipcContract.testServer.request.safeParse({ url: withCredentials[0] });
    expect(result.error?.issues[0]?.message).toBe(words);
  });

  it('one an older version saved is still shown as the app has it', () => {
    const view = { peer_name: 'Alice', control_server: withCredentials[0] };
    expect(SettingsViewSchema.safeParse(view).success).toBe(true);
  });
});

describe('a control server address too long to be one', () => {
  const long = `wss://${'a'.repeat(600)}.example`;

  it('Settings refuse it in words, with the limit and its length', () => {
    const result = SettingsSchema.safeParse({ peer_name: 'Alice', control_server: long });
    expect(result.error?.issues[0]?.message).toBe(
      `Control server address must be at most 512 characters (this one has ${long.length})`,
    );
  });

  it('the server test before saving says the same', () => {
    const result = ipcContract.testServer.request.safeParse({ url: long });
    expect(result.error?.issues[0]?.message).toMatch(/^Control server address must be at most 512/);
  });
});

describe('servers reached without TLS', () => {
  it('names the ws://, http:// and bare host:port servers beyond this PC, as a gamer reads them', () => {
    expect(unencryptedServers('ws://10.0.0.9:8667')).toEqual(['10.0.0.9:8667']);
    expect(unencryptedServers('lan.example.org')).toEqual(['lan.example.org:8667']);
    expect(unencryptedServers('http://a.example:9000, wss://b.example')).toEqual([
      'a.example:9000',
    ]);
  });

  it('says nothing of TLS, of this PC, or of a setting that is not valid', () => {
    for (const text of ['wss://a.example', 'https://a.example', 'ws://localhost:8667']) {
      expect(unencryptedServers(text)).toEqual([]);
    }
    expect(unencryptedServers('ws://127.0.0.1:8667, ws://[::1]:8667')).toEqual([]);
    expect(unencryptedServers('')).toEqual([]);
    expect(unencryptedServers('ftp://x')).toEqual([]);
  });
});
