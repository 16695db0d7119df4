/**
 * Which relay addresses a server may name, by where the app reached it: a server on the
 * internet may not send members' PCs to their own machine, their LAN or a link-local address.
 */
import { describe, expect, it } from 'vitest';
import type { RelayGrant } from '../../../../shared/protocol/relay';
import { addressScope, relaysFrom, Scope } from './relay-scope';

const grantOf = (...urls: string[]): RelayGrant => ({
  ice_servers: [{ urls, username: '1:me', credential: 'c2VjcmV0' }],
  ttl: 600,
});

const kept = (url: string, server: string | undefined): boolean =>
  relaysFrom(grantOf(url), server).grant.ice_servers.length === 1;

const INTERNET_SERVER = '203.0.113.7';

describe('relay scope', () => {
  it.each([
    ['turn:127.0.0.1:6379?transport=tcp'],
    ['turn:127.1:6379'],
    ['turn:2130706433:6379'],
    ['turn:0x7f.1:6379'],
    ['turn:0177.0.0.1:6379'],
    ['turn:0.0.0.0:6379'],
    ['turn:localhost:6379'],
    ['turns:db.localhost:443'],
    ['turn:LocalHost.localdomain:6379'],
    ['turn:ip6-localhost:6379'],
    ['turn:0:6379'],
    ['turn:[::1]:6379'],
    ['turn:[::ffff:127.0.0.1]:6379'],
    ['turn:[0:0:0:0:0:0:0:1]:6379'],
    ['turn:192.168.1.1:80?transport=tcp'],
    ['turn:10.0.0.1'],
    ['turn:172.20.0.1'],
    ['turn:169.254.169.254:80?transport=tcp'],
    ['turn:[fe80::1]:3478'],
    ['turn:[fd00::1]:3478'],
    ['turn:[::ffff:192.168.1.1]:80'],
    ['turn:255.255.255.255:3478'],
  ])('an internet server may not name %s', (url) => {
    expect(kept(url, INTERNET_SERVER)).toBe(false);
    expect(kept(url, undefined)).toBe(false);
  });

  it.each([
    ['turn:198.51.100.4:3478'],
    ['turns:[2001:db8::1]:5349?transport=tcp'],
    ['turn:relay.example.org:3478'],
    ['turn:localhost.example.org:3478'],
  ])('an internet server may name %s', (url) => {
    expect(kept(url, INTERNET_SERVER)).toBe(true);
  });

  it('a LAN server may name LAN relays, not this PC or link-local ones', () => {
    expect(kept('turn:192.168.1.5:3478', '192.168.1.5')).toBe(true);
    expect(kept('turn:10.1.1.1:3478', '::ffff:192.168.1.5')).toBe(true);
    expect(kept('turn:198.51.100.4:3478', '192.168.1.5')).toBe(true);
    expect(kept('turn:127.0.0.1:3478', '192.168.1.5')).toBe(false);
    expect(kept('turn:169.254.169.254:80', '10.0.0.2')).toBe(false);
  });

  it('a server on this PC may name any relay', () => {
    for (const url of ['turn:127.0.0.1:3478', 'turn:169.254.1.1', 'turn:10.0.0.1']) {
      expect(kept(url, '127.0.0.1')).toBe(true);
      expect(kept(url, '::1')).toBe(true);
    }
  });

  it('keeps the allowed addresses of a relay, drops one left with none, and names them', () => {
    const grant: RelayGrant = {
      ice_servers: [
        grantOf('turn:relay.example.org:3478', 'turn:127.0.0.1:22?transport=tcp').ice_servers[0]!,
        grantOf('turn:192.168.0.1:80').ice_servers[0]!,
      ],
      ttl: 900,
    };
    expect(relaysFrom(grant, INTERNET_SERVER)).toEqual({
      grant: {
        ice_servers: [grantOf('turn:relay.example.org:3478').ice_servers[0]],
        ttl: 900,
        ignored: 2,
      },
      refused: ['turn:127.0.0.1:22?transport=tcp', 'turn:192.168.0.1:80'],
    });
  });

  it('reads server addresses as Node gives them', () => {
    expect(addressScope('::ffff:127.0.0.1')).toBe(Scope.ThisPc);
    expect(addressScope('fe80::fc:ff:fe00:1')).toBe(Scope.LinkLocal);
    expect(addressScope('100.64.0.1')).toBe(Scope.Lan);
    expect(addressScope('8.8.8.8')).toBe(Scope.Internet);
  });
});
