import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '../../shared/protocol/protocol';
import { MAX_PEERS_PER_PARTY } from '../../shared/party/settings';
import { NO_QUOTAS } from './quotas';
import type { RunningServer } from '../server-core';
import type { ServerOptions } from '../server';
import { ManualClock } from '../../electron/core/test-util/manual-clock';
import { TestRig, peerDict, stopReadingUntilCut } from '../test-util/support';

const rig = new TestRig();
afterEach(() => rig.cleanup());

const start = (options: Partial<ServerOptions> = {}): Promise<RunningServer> => rig.start(options);
const connect = (url: string) => rig.connect(url);
describe('bad input', () => {
  it('answers invalid JSON with bad_request and keeps the connection open', async () => {
    const c = await connect((await start()).url);
    c.sendRaw('{"type": "hello"');
    expect(await c.nextOfType('error')).toMatchObject({ code: 'bad_request' });
    expect((await c.request({ type: 'hello' })).type).toBe('welcome');
  });

  it('answers a schema failure with bad_request naming the field, echoing request_id', async () => {
    const c = await connect((await start()).url);
    const answer = await c.request({
      type: 'join_party',
      party_id: 'party_p1_x',
      peer: { peer_id: 'x' },
    });
    expect(answer).toMatchObject({ type: 'error', code: 'bad_request' });
    expect(answer.message).toMatch(/peer\.name/);
    const unknown = await c.request({ type: 'launch_missiles' });
    expect(unknown).toMatchObject({ type: 'error', code: 'bad_request' });
    expect((await c.request({ type: 'hello' })).type).toBe('welcome');
  });

  it('closes the connection with 1009 on a frame over 64 KiB; others are unaffected', async () => {
    const url = (await start()).url;
    const bystander = await connect(url);
    const c = await connect(url);
    c.sendRaw(JSON.stringify({ type: 'hello', client: 'x'.repeat(MAX_FRAME_BYTES) }));
    expect(await c.closed).toBe(1009);
    expect((await bystander.request({ type: 'hello' })).type).toBe('welcome');
  });

  it('rate limits a flood with rate_limited errors, then closes it with 1008', async () => {
    // A frozen clock: the bucket never refills, so exactly the burst gets through.
    const url = (
      await start({
        clock: new ManualClock(0),
        rateLimit: { burst: 10, perSecond: 5, maxStrikes: 20 },
      })
    ).url;
    const c = await connect(url);
    for (let i = 0; i < 100; i += 1) c.send({ type: 'hello' });
    expect(await c.closed).toBe(1008);
    const limited = c.received.filter((f) => f.type === 'error' && f.code === 'rate_limited');
    expect(limited).toHaveLength(20);
    expect(c.received.filter((f) => f.type === 'welcome')).toHaveLength(10);
  });

  it('refuses the 257th peer of a party', async () => {
    // Client and server share a process here, so allow the burst of answers to queue.
    const c = await connect(
      (await start({ rateLimit: null, maxBufferedBytes: 1 << 30, quotas: NO_QUOTAS })).url,
    );
    await c.request({
      type: 'register_party',
      party_id: 'party_big_x',
      name: 'Big',
      host_peer: peerDict('p0'),
    });
    const joins = [];
    // 255 durable joins and ~10 MB of growing snapshots: slow on a busy machine.
    for (let i = 1; i < MAX_PEERS_PER_PARTY; i += 1) {
      const join = { type: 'join_party', party_id: 'party_big_x', peer: peerDict(`p${i}`) };
      joins.push(c.request(join, 25_000));
    }
    expect((await Promise.all(joins)).every((a) => a.type === 'party_update')).toBe(true);
    const refused = await c.request({
      type: 'join_party',
      party_id: 'party_big_x',
      peer: peerDict('late'),
    });
    expect(refused).toMatchObject({ type: 'error', code: 'party_full' });
  });

  it('answers 404 to an upgrade on another path', async () => {
    const { port } = await start();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        path: '/other',
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(404);
  });

  /** The first line a raw request to `target` is answered with (the status line). */
  function rawStatusLine(port: number, target: string, upgrade: boolean): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
      socket.on('error', reject);
      const headers = upgrade
        ? 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
        : 'Connection: close\r\n';
      socket.end(`GET ${target} HTTP/1.1\r\nHost: x\r\n${headers}\r\n`);
    });
  }

  it('answers an unparsable request target with 400 and stays up (it used to exit)', async () => {
    const server = await start();
    for (const target of ['http://[', '//[', 'http://a:99999/ws']) {
      expect(await rawStatusLine(server.port, target, true)).toBe('HTTP/1.1 400 Bad Request');
      expect(await rawStatusLine(server.port, target, false)).toBe('HTTP/1.1 400 Bad Request');
    }
    const c = await connect(server.url);
    expect(await c.hello()).toMatch(/\S{16,}/);
  });

  it('disconnects a client that stops reading instead of buffering without bound', async () => {
    const url = (await start({ rateLimit: null, maxBufferedBytes: 1024 * 1024, quotas: NO_QUOTAS }))
      .url;
    const c = await connect(url);
    await c.hello();
    await stopReadingUntilCut(c, rig);
    expect(rig.server!.context.presence.isConnected('p0')).toBe(false);
  });
});
