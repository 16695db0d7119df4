import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { addressKey, fitToDescriptors, REFUSE_ADDRESS, REFUSE_FULL } from './admission';
import type { Logger } from '../../shared/logger';
import type { ServerOptions } from '../server';
import { TestRig, delay } from '../test-util/support';

const rig = new TestRig();
const opened: Array<WebSocket | net.Socket> = [];
afterEach(async () => {
  for (const s of opened.splice(0)) {
    if (s instanceof WebSocket) s.terminate();
    else s.destroy();
  }
  await rig.cleanup();
});

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(m),
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
  };
}

/** Opens a WebSocket from `localAddress`: 'open', or the HTTP status it was refused with. */
function upgrade(url: string, localAddress = '127.0.0.1'): Promise<number | 'open'> {
  const ws = new WebSocket(url, { localAddress });
  opened.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve('open'));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

const start = (options: Partial<ServerOptions>) => rig.start(options);

describe('connection caps at the upgrade', () => {
  it('refuses an address past its cap with 429 and a log line; other addresses still get in', async () => {
    const logger = recordingLogger();
    const { url } = await start({ admission: { maxPerAddress: 3 }, logger });
    for (let i = 0; i < 3; i += 1) expect(await upgrade(url)).toBe('open');
    expect(await upgrade(url)).toBe(429);
    expect(logger.lines.some((l) => l.includes(REFUSE_ADDRESS) && l.includes('127.0.0.1'))).toBe(
      true,
    );
    expect(await upgrade(url, '127.0.0.2')).toBe('open');
    // A slot freed is a slot to use again.
    (opened[0] as WebSocket).terminate();
    await delay(100);
    expect(await upgrade(url)).toBe('open');
  });

  it('refuses every address with 503 once the server holds its maximum', async () => {
    const logger = recordingLogger();
    const { url } = await start({ admission: { maxConnections: 2 }, logger });
    expect(await upgrade(url)).toBe('open');
    expect(await upgrade(url, '127.0.0.2')).toBe('open');
    expect(await upgrade(url, '127.0.0.3')).toBe(503);
    expect(logger.lines.some((l) => l.includes(REFUSE_FULL))).toBe(true);
  });

  it('cuts raw sockets at accept once an address holds twice its cap', async () => {
    await start({ admission: { maxPerAddress: 2 } });
    const port = rig.server!.port;
    const sockets = Array.from({ length: 6 }, () => {
      const s = net.connect({ port, host: '127.0.0.1' });
      s.on('error', () => {});
      s.resume();
      opened.push(s);
      return s;
    });
    await delay(300);
    expect(sockets.filter((s) => s.destroyed || s.readableEnded)).toHaveLength(2);
  });
});

describe('silent and slow connections', () => {
  it('closes a WebSocket that sends no hello in time with 1008; one that did stays', async () => {
    await start({ helloTimeoutMs: 300 });
    const silent = await rig.connect();
    const polite = await rig.connect();
    await polite.hello();
    expect(await silent.closed).toBe(1008);
    await delay(300);
    expect(polite.closeCode).toBeNull();
    expect((await polite.request({ type: 'hello' })).type).toBe('welcome');
  });

  it('cuts a TCP socket that sends nothing and a handshake sent a header a time (slowloris)', async () => {
    await start({ handshakeTimeoutMs: 300 });
    const port = rig.server!.port;
    const closedAfter = (s: net.Socket, t0: number) =>
      new Promise<number>((resolve) => s.once('close', () => resolve(performance.now() - t0)));
    const t0 = performance.now();
    const silent = net.connect({ port, host: '127.0.0.1' });
    const slow = net.connect({ port, host: '127.0.0.1' });
    for (const s of [silent, slow]) {
      s.on('error', () => {});
      // Reading, or a paused socket would never notice the server's FIN.
      s.resume();
      opened.push(s);
    }
    slow.write('GET /ws HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => slow.writable && slow.write('X-Drip: 1\r\n'), 50);
    const [a, b] = await Promise.all([closedAfter(silent, t0), closedAfter(slow, t0)]);
    clearInterval(drip);
    expect(a).toBeLessThan(2500);
    expect(b).toBeLessThan(2500);
  });

  it('does not apply the handshake timeout to an upgraded, quiet WebSocket', async () => {
    await start({ handshakeTimeoutMs: 200 });
    const c = await rig.connect();
    await c.hello();
    await delay(800);
    expect(c.closeCode).toBeNull();
    expect((await c.request({ type: 'hello' })).type).toBe('welcome');
  });
});

describe('addressKey', () => {
  it.each([
    ['127.0.0.2', '127.0.0.2'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('counts %s as %s', (remote, key) => {
    expect(addressKey(remote)).toBe(key);
  });
});

describe('fitToDescriptors', () => {
  it('lowers the connection cap below ulimit -n, saying so', () => {
    const logger = recordingLogger();
    const caps = { maxConnections: 25_000, maxPerAddress: 256, cutBackoffMs: 1000 };
    const fitted = fitToDescriptors(caps, logger, 1024);
    expect(fitted).toEqual({ ...caps, maxConnections: 768 });
    expect(logger.lines.join()).toMatch(/ulimit -n is 1024/);
  });

  it('keeps a cap that fits, or when the limit is unknown', () => {
    const logger = recordingLogger();
    const caps = { maxConnections: 1000, maxPerAddress: 10, cutBackoffMs: 0 };
    expect(fitToDescriptors(caps, logger, 65_536)).toBe(caps);
    expect(fitToDescriptors(caps, logger, null)).toBe(caps);
    expect(logger.lines).toEqual([]);
  });
});
