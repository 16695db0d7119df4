import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { addressRank, answersAt, hostAddresses } from './lan-addresses';

const v4 = (address: string, internal = false) =>
  ({ address, family: 'IPv4', internal }) as NetworkInterfaceInfo;
const v6 = (address: string) =>
  ({ address, family: 'IPv6', internal: false }) as NetworkInterfaceInfo;

describe('the addresses a LAN invite link names', () => {
  it('are the private ones first, never loopback nor IPv6, each once, at most four', () => {
    const interfaces = {
      lo: [v4('127.0.0.1', true), v4('127.0.1.1')],
      wlan0: [v4('169.254.7.7'), v6('fe80::1')],
      eth0: [v4('203.0.113.9'), v4('192.168.1.20'), v4('192.168.1.20')],
      tailscale0: [v4('100.101.1.2')],
      eth1: [v4('10.0.0.5'), v4('172.20.0.3'), v4('172.32.0.3')],
    };
    expect(hostAddresses(8669, interfaces)).toEqual([
      '192.168.1.20:8669',
      '10.0.0.5:8669',
      '172.20.0.3:8669',
      '100.101.1.2:8669',
    ]);
  });

  it('are public ones only when the PC has no private one (the LAN uses them)', () => {
    const campus = { eth0: [v4('198.51.100.4'), v4('127.0.0.1', true)] };
    expect(hostAddresses(9000, campus)).toEqual(['198.51.100.4:9000']);
    expect(hostAddresses(9000, { eth0: [v4('198.51.100.4'), v4('10.1.1.1')] })).toEqual([
      '10.1.1.1:9000',
    ]);
    expect(hostAddresses(9000, { lo: [v4('127.0.0.1', true)] })).toEqual([]);
  });

  // Each range's edges: one address in or out moved a public address before a private one.
  it('rank each range by its edges: private, then 100.64/10, then 169.254/16, then public', () => {
    const ranks = {
      '10.0.0.1': 0,
      '172.15.255.254': 3,
      '172.16.0.1': 0,
      '172.31.255.254': 0,
      '172.32.0.1': 3,
      '192.167.1.1': 3,
      '192.168.0.1': 0,
      '100.63.255.254': 3,
      '100.64.0.1': 1,
      '100.127.255.254': 1,
      '100.128.0.1': 3,
      '169.253.1.1': 3,
      '169.254.1.1': 2,
      '169.255.1.1': 3,
      '223.255.255.254': 3,
    };
    const got = Object.fromEntries(Object.keys(ranks).map((a) => [a, addressRank(a)]));
    expect(got).toEqual(ranks);
  });

  it('leave out what no guest can dial', () => {
    for (const address of ['0.0.0.0', '127.0.0.1', '224.0.0.251', '255.255.255.255', 'x']) {
      expect([address, addressRank(address)]).toEqual([address, null]);
    }
  });

  it('name, for a guest, the address and TLS port it reached its host at, not loopback', () => {
    const pin = `pin=${'A'.repeat(43)}`;
    expect(answersAt(`wss://10.0.0.5:8669/ws?${pin}&plain=8668`, undefined)).toEqual([
      '10.0.0.5:8669',
    ]);
    expect(answersAt(`wss://127.0.0.1:8669/ws?${pin}`, undefined)).toBeUndefined();
    expect(answersAt(`wss://[fe80::1]:8669/ws?${pin}`, undefined)).toBeUndefined();
    // Ours: this PC's addresses at its TLS port; none while it serves no TLS.
    const ours = (port: number) => [`10.0.0.5:${port}`];
    expect(answersAt('ws://127.0.0.1:8668/ws', 8669, ours)).toEqual(['10.0.0.5:8669']);
    expect(answersAt('ws://127.0.0.1:8668/ws', null, ours)).toBeUndefined();
    // One the status cannot carry (a name, IPv6) is left out, not every other with it.
    const mixed = (port: number) => [`fe80::1:${port}`, `10.0.0.5:${port}`, `pc.local:${port}`];
    expect(answersAt('ws://127.0.0.1:8668/ws', 8669, mixed)).toEqual(['10.0.0.5:8669']);
    expect(answersAt('ws://127.0.0.1:8668/ws', 8669, () => ['pc.local:8669'])).toBeUndefined();
  });
});
