/**
 * A link the network dropped without a FIN or RST (the server's machine lost power, a LAN
 * host asleep): the client pings a quiet link and ends one that stays silent, so its owner
 * reconnects; a quiet link whose server answers pings stays. Real sockets on 127.0.0.1; a
 * server with automatic pongs off stands in for one that is gone.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { MemoryLogger } from '../../../../shared/test-support/memory-logger';
import { systemClock } from '../../../../shared/time/clock';
import { CLOSE_SILENT, WsClient, wasRefused } from './ws-client';

const servers: WebSocketServer[] = [];
const clients: WsClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const wss of servers.splice(0)) {
    for (const ws of wss.clients) ws.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
});

/** A server that never sends a frame; `autoPong: false`, it does not answer pings either. */
async function silentServer(autoPong: boolean): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong });
  servers.push(wss);
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`;
}

async function connect(url: string, logger: MemoryLogger, deadMs = 300) {
  let closedWith: number | null = null;
  /** What onQuiet said, and `closed` once the link ended, in order. */
  const told: string[] = [];
  const client = await WsClient.connect(url, {
    clock: systemClock,
    logger,
    connectTimeoutMs: 2000,
    requestTimeoutMs: 2000,
    liveness: { quietMs: 100, deadMs },
    onPush: () => {},
    onClose: (code) => {
      closedWith = code;
      told.push('closed');
    },
    onQuiet: (quiet) => told.push(quiet ? 'quiet' : 'heard'),
  });
  clients.push(client);
  return { client, closed: () => closedWith, told };
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WsClient liveness', () => {
  it('ends a link whose server stopped answering, and says why', async () => {
    const logger = new MemoryLogger();
    const { client, closed, told } = await connect(await silentServer(false), logger);
    for (let i = 0; i < 40 && closed() === null; i++) await delay(25);
    expect(closed()).toBe(CLOSE_SILENT);
    // Said not to answer first, while the link was still there to wait on.
    expect(told).toEqual(['quiet', 'closed']);
    expect(client.isOpen).toBe(false);
    expect(logger.lines.some((l) => l.message.includes('has not answered for'))).toBe(true);
  });

  it('tells a refused connect (nothing listens) from one that found no machine', async () => {
    const url = await silentServer(true);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const refused = await connect(url, new MemoryLogger()).catch((error: unknown) => error);
    expect(wasRefused(refused)).toBe(true);
    expect(wasRefused(new Error('Opening handshake has timed out'))).toBe(false);
  });

  it('keeps a quiet link whose server answers its pings, never said not to answer', async () => {
    const { client, closed, told } = await connect(await silentServer(true), new MemoryLogger());
    await delay(1000);
    expect(closed()).toBeNull();
    expect(client.isOpen).toBe(true);
    expect(told).toEqual([]);
  });

  it('a server heard again after an unanswered ping is said to answer, and the link kept', async () => {
    const url = await silentServer(false);
    const { client, closed, told } = await connect(url, new MemoryLogger(), 5000);
    for (let i = 0; i < 40 && told.length === 0; i++) await delay(25);
    expect(told).toEqual(['quiet']);
    for (const ws of servers[0]!.clients) ws.ping();
    for (let i = 0; i < 40 && told.length === 1; i++) await delay(25);
    expect(told).toEqual(['quiet', 'heard']);
    expect([closed(), client.isOpen]).toEqual([null, true]);
  });
});
