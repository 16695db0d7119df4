/**
 * Why a server could not start on its --redis URL, in words an operator can act on: the
 * address answers but is no Redis (a web server on that port), or rediss:// (TLS) meets a
 * Redis that serves plain text. Real sockets: a TCP server on port 0, a real redis-server.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logger';
import { RedisTestServer } from '../../test-util/redis-server';
import { RedisPartyStore } from './store';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Why RedisPartyStore.open(url) refused. */
async function refusal(url: string): Promise<string> {
  try {
    const store = await RedisPartyStore.open(url, silentLogger);
    store.redis.disconnect();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`opened ${url}`);
}

describe('a --redis URL that reaches something else', () => {
  it('a web server on the port: says it is not Redis, not "Unknown RESP type… report this"', async () => {
    const web = net.createServer((socket) => {
      socket.on('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => web.close(() => resolve())));
    const port = (web.address() as net.AddressInfo).port;
    expect(await refusal(`redis://127.0.0.1:${port}`)).toBe(
      `cannot reach Redis at 127.0.0.1:${port}: what answers there is not Redis ` +
        '(check the host and port in --redis)',
    );
  });

  /** A TCP server that does as Redis does to a client it turns away: one error line, closed. */
  async function turningAway(line: string): Promise<number> {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.end(`-${line}\r\n`, () => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    });
    return (server.address() as net.AddressInfo).port;
  }

  // README's `redis-server --appendonly yes …` with servers on other machines: Redis 7 in
  // protected mode wrote this line to them and closed (seen from a network namespace), and
  // the server said only "write EPIPE".
  it('a Redis in protected mode: says it wants a password, not "write EPIPE"', async () => {
    const port = await turningAway(
      'DENIED Redis is running in protected mode because protected mode is enabled and no ' +
        'password is set for the default user. In this mode connections are only accepted ' +
        'from the loopback interface. '.repeat(4),
    );
    expect(await refusal(`redis://127.0.0.1:${port}`)).toBe(
      `cannot reach Redis at 127.0.0.1:${port}: Redis takes no connections from other ` +
        'machines while it has no password (protected mode): give it one (requirepass) and ' +
        'this server --redis-password-file',
    );
  });

  it('a Redis turning us away for another reason: says its words', async () => {
    const port = await turningAway('ERR max number of clients reached');
    expect(await refusal(`redis://127.0.0.1:${port}`)).toBe(
      `cannot reach Redis at 127.0.0.1:${port}: Redis said: ERR max number of clients reached`,
    );
  });

  it('rediss:// to a Redis without TLS: asks whether it serves TLS', async () => {
    const redis = await RedisTestServer.start();
    closers.push(() => redis.cleanup());
    const message = await refusal(`rediss://127.0.0.1:${redis.port}`);
    expect(message).toMatch(`cannot reach Redis at 127.0.0.1:${redis.port}: `);
    expect(message).toContain('(rediss:// speaks TLS: does that Redis serve TLS? If not, use');
  }, 15_000);
});
