import { describe, expect, it, vi } from 'vitest';
import { lanOptionsFrom, openLanDiscovery } from './options';
import { MDNS_PORT } from './mdns-transport';
import { silentLogger } from '../../../shared/logger';

describe('LAN discovery options', () => {
  it('is on, on every interface, on the mDNS port by default', () => {
    expect(lanOptionsFrom({})).toEqual({
      ok: true,
      value: { enabled: true, interface: undefined, port: MDNS_PORT },
    });
  });

  it('can be turned off, or kept to one interface and port', () => {
    expect(lanOptionsFrom({ LANRAGE_LAN_DISCOVERY: 'OFF' })).toMatchObject({
      value: { enabled: false },
    });
    expect(
      lanOptionsFrom({ LANRAGE_MDNS_INTERFACE: '127.0.0.1', LANRAGE_MDNS_PORT: '25353' }),
    ).toEqual({
      ok: true,
      value: { enabled: true, interface: '127.0.0.1', port: 25353 },
    });
  });

  it.each([
    { LANRAGE_LAN_DISCOVERY: 'maybe' },
    { LANRAGE_MDNS_INTERFACE: 'eth0' },
    { LANRAGE_MDNS_PORT: '0' },
    { LANRAGE_MDNS_PORT: '70000' },
    { LANRAGE_MDNS_PORT: '0x14e9' },
  ])('refuses %o', (env) => {
    expect(lanOptionsFrom(env).ok).toBe(false);
  });

  it('a bad value turns discovery off with a notice; the app carries on', async () => {
    const report = vi.fn();
    expect(await openLanDiscovery({ LANRAGE_MDNS_PORT: 'x' }, report, silentLogger)).toBeNull();
    expect(report).toHaveBeenCalledWith(
      expect.stringContaining('LAN discovery is off: LANRAGE_MDNS_PORT'),
    );
  });

  it('off means no socket and no notice', async () => {
    const report = vi.fn();
    expect(
      await openLanDiscovery({ LANRAGE_LAN_DISCOVERY: 'off' }, report, silentLogger),
    ).toBeNull();
    expect(report).not.toHaveBeenCalled();
  });
});
