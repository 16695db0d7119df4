/**
 * Real sockets on port 0, each upgrading to WebSocket and sending one frame without a mask
 * (a protocol error ws reports on the socket): the log gets a line a second at most, with
 * the address and how many more came, not one line per socket.
 */
import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../shared/logger';
import { RawClient, TestRig, delay } from '../test-util/support';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const UPGRADE =
  'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
const UNMASKED_TEXT_FRAME = Buffer.from([0x81, 0x02, 0x68, 0x69]);

/** Opens a socket that upgrades, sends one bad frame, and resolves once the server closed it. */
function badSocket(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(UPGRADE));
    socket.once('data', () => socket.write(UNMASKED_TEXT_FRAME));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

it('bad frames from many sockets are logged once a second with a count', async () => {
  const warnings: string[] = [];
  const warn = (m: string): void => void (m.startsWith('Connection') && warnings.push(m));
  const logger: Logger = { ...silentLogger, warn };
  const server = await rig.start({ logger });
  const port = Number(new URL(server.url).port);
  await Promise.all(Array.from({ length: 40 }, () => badSocket(port)));
  expect(warnings).toEqual([
    expect.stringMatching(/^Connection \d+ \(127\.0\.0\.1\): Invalid WebSocket frame: MASK must/),
  ]);
  await delay(1100);
  await badSocket(port);
  expect(warnings).toHaveLength(2);
  expect(warnings[1]).toMatch(/\(127\.0\.0\.1\): .*MASK.*; 39 more such warnings since the last$/);
});

it('clients closed for flooding are logged once a second with a count', async () => {
  const warnings: string[] = [];
  const warn = (m: string): void => void (m.startsWith('Connection') && warnings.push(m));
  const logger: Logger = { ...silentLogger, warn };
  const rateLimit = { burst: 2, perSecond: 1, maxStrikes: 2 };
  const server = await rig.start({ logger, rateLimit });
  const flood = async (): Promise<void> => {
    const c = await RawClient.connect(server.url);
    for (let i = 0; i < 10; i++) c.send({ type: 'heartbeat', request_id: `r${i}` });
    await c.closed;
  };
  await Promise.all(Array.from({ length: 20 }, flood));
  expect(warnings).toEqual([expect.stringMatching(/^Connection \d+ \(127\.0\.0\.1\) is flooding/)]);
});
