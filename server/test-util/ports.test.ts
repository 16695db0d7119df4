import dgram from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freeTcpPort, freeUdpPort } from './ports';

/** Where the system picks ports itself (listen on 0, every outgoing connection) starts. */
const RANGE = '/proc/sys/net/ipv4/ip_local_port_range';
const ephemeralLow = existsSync(RANGE)
  ? Number(readFileSync(RANGE, 'utf8').split(/\s+/)[0])
  : 49_152;

describe('free ports', () => {
  it('are below the range the system hands out itself, and free to listen on', async () => {
    const tcp = await freeTcpPort();
    expect(tcp).toBeGreaterThanOrEqual(20_000);
    expect(tcp).toBeLessThan(ephemeralLow);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(tcp, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));

    const udp = await freeUdpPort();
    expect(udp).toBeGreaterThanOrEqual(20_000);
    expect(udp).toBeLessThan(ephemeralLow);
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(udp, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => socket.close(resolve));
  });
});
