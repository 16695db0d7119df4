/**
 * Ports free on loopback right now, for what a test or bench starts on a port it must name
 * (redis-server, turnserver, a configured LAN port) or for a port nobody listens on.
 *
 * Chosen below the system's ephemeral range and checked free by binding it. A port the
 * system handed out (listen on 0, then close) came from the range it also takes every
 * outgoing connection's port from: with hundreds of test connections opening meanwhile on
 * two workers, one could take it before the test's process bound it. Below that range only
 * another explicit choice like this one can, and it is checked free too.
 */
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';

const LOWEST = 20_000;
/** Linux's range is in /proc; elsewhere, IANA's (macOS and Windows use it). */
const IANA_EPHEMERAL_LOW = 49_152;
const ATTEMPTS = 50;

function ephemeralLow(): number {
  try {
    const low = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
    );
    return Number.isInteger(low) && low > LOWEST + 1000 ? low : IANA_EPHEMERAL_LOW;
  } catch {
    return IANA_EPHEMERAL_LOW;
  }
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => socket.close(() => resolve(false)));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

async function freePort(isFree: (port: number) => Promise<boolean>): Promise<number> {
  const high = ephemeralLow();
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const port = LOWEST + Math.floor(Math.random() * (high - LOWEST));
    if (await isFree(port)) return port;
  }
  throw new Error(`No free port in ${LOWEST}-${high - 1} after ${ATTEMPTS} tries`);
}

export const freeTcpPort = (): Promise<number> => freePort(tcpFree);
export const freeUdpPort = (): Promise<number> => freePort(udpFree);
