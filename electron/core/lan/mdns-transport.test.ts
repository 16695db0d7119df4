/**
 * Real multicast DNS sockets, kept on this machine: both ends send and listen on
 * 127.0.0.1 only, on a random port, so nothing reaches a real LAN (the netns suite in
 * netns.test.ts covers real links).
 */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../shared/time/clock';
import type { LanParty } from './browse-cache';
import { LanDiscovery } from './discovery';
import { MAX_WAITING_SENDS, openMdnsTransport } from './mdns-transport';

const open: LanDiscovery[] = [];
afterEach(async () => {
  for (const lan of open.splice(0)) await lan.close();
});

async function instance(port: number): Promise<LanDiscovery> {
  const transport = await openMdnsTransport({ port, interface: '127.0.0.1' });
  const lan = new LanDiscovery({ transport, clock: systemClock, hostName: 'lanrage-test.local' });
  open.push(lan);
  lan.start();
  return lan;
}

function until(
  lan: LanDiscovery,
  test: (list: LanParty[]) => boolean,
  ms: number,
): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    if (test(lan.parties())) return resolve(0);
    const timer = setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms);
    const stop = lan.subscribe((list) => {
      if (!test(list)) return;
      clearTimeout(timer);
      stop();
      resolve(Date.now() - started);
    });
  });
}

describe('mDNS over real sockets (loopback)', () => {
  it('a party advertised by one socket is found by another, and leaves with its goodbye', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const browser = await instance(port);
    const host = await instance(port);
    const summary = {
      party_id: 'party_loop1',
      name: 'Ünïcode 🎮 night',
      host_name: 'Alice',
      peer_count: 2,
      max_peers: 8,
      protocol: '1.1',
      port: 8667,
    };
    host.advertise(summary);
    await until(browser, (l) => l.length === 1, 3000);
    expect(browser.parties()).toEqual([{ summary, address: '127.0.0.1', port: 8667 }]);
    await host.close();
    await until(browser, (l) => l.length === 0, 2000);
  });

  it('keeps at most MAX_WAITING_SENDS packets waiting: a flood beyond is dropped, said once', async () => {
    const warnings: string[] = [];
    const port = 20000 + Math.floor(Math.random() * 20000);
    const transport = await openMdnsTransport({
      port,
      interface: '127.0.0.1',
      onWarning: (err) => warnings.push(err.message),
    });
    const query = { type: 'query' as const, questions: [{ name: 'x.local', type: 'A' as const }] };
    try {
      for (let i = 0; i < MAX_WAITING_SENDS * 8; i++) transport.send(query);
      expect(warnings).toEqual(['mDNS: too many packets waiting; some dropped']);
      await new Promise((r) => setTimeout(r, 300));
      // Drained: sending works again, without a new warning.
      transport.send(query);
      await new Promise((r) => setTimeout(r, 100));
      expect(warnings).toHaveLength(1);
    } finally {
      await transport.close();
    }
  });

  it('refuses to open a port it cannot bind, so the app carries on without LAN discovery', async () => {
    const taken = createSocket({ type: 'udp4', reuseAddr: false });
    await new Promise<void>((resolve) => taken.bind(0, '0.0.0.0', resolve));
    try {
      const port = taken.address().port;
      await expect(openMdnsTransport({ port, interface: '127.0.0.1' })).rejects.toThrow(
        /EADDRINUSE/,
      );
    } finally {
      taken.close();
    }
  });
});
