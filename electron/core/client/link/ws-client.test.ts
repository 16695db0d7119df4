/**
 * WsClient against a scripted fake server on 127.0.0.1: answers are matched by
 * request_id, and an answer it cannot read fails its request at once instead of leaving
 * it to time out.
 */
import net, { type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_SIGNAL_PUSH_BYTES, type ServerMessage } from '../../../../shared/protocol/protocol';
import { MemoryLogger } from '../../../../shared/test-support/memory-logger';
import { systemClock } from '../../../../shared/time/clock';
import { ManualClock } from '../../test-util/manual-clock';
import { WsClient } from './ws-client';

type Reply = (request: Record<string, unknown>, ws: WebSocket) => void;

let wss: WebSocketServer;
let url: string;
let reply: Reply;
let client: WsClient | null = null;
const pushes: ServerMessage[] = [];
const logger = new MemoryLogger();

beforeEach(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`;
  wss.on('connection', (ws) =>
    ws.on('message', (data) =>
      reply(
        JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as Record<string, unknown>,
        ws,
      ),
    ),
  );
  pushes.length = 0;
});
afterEach(async () => {
  client?.close();
  client = null;
  for (const ws of wss.clients) ws.terminate();
  await new Promise((resolve) => wss.close(resolve));
});

async function connect(requestTimeoutMs = 20_000): Promise<WsClient> {
  client = await WsClient.connect(url, {
    clock: systemClock,
    logger,
    connectTimeoutMs: 2000,
    requestTimeoutMs,
    onPush: (m) => pushes.push(m),
    onClose: () => {},
  });
  return client;
}

const hello = { type: 'hello', version: '1.0', client: 'lanrage' } as const;

describe('WsClient', () => {
  it('matches answers by request_id and hands everything else to onPush', async () => {
    reply = (req, ws) => {
      ws.send(JSON.stringify({ type: 'peer_left', party_id: 'p1', peer_id: 'x' }));
      ws.send(JSON.stringify({ type: 'ack', request_id: req.request_id }));
    };
    const c = await connect();
    await expect(c.request(hello)).resolves.toMatchObject({ type: 'ack' });
    expect(pushes).toEqual([{ type: 'peer_left', party_id: 'p1', peer_id: 'x' }]);
  });

  it('rejects with the server’s message and code on error', async () => {
    reply = (req, ws) =>
      ws.send(
        JSON.stringify({
          type: 'error',
          message: 'Nope',
          code: 'forbidden',
          request_id: req.request_id,
        }),
      );
    const c = await connect();
    await expect(c.request(hello)).rejects.toMatchObject({ message: 'Nope', code: 'forbidden' });
  });

  it('takes a code it does not know (a newer or hostile server’s) as a plain error', async () => {
    // `cancelled` is one of the app's own codes: a server cannot make a join look cancelled.
    for (const code of ['party_full_v2', 'cancelled', 'constructor', 'unreachable']) {
      reply = (req, ws) =>
        ws.send(
          JSON.stringify({ type: 'error', message: 'Nope', code, request_id: req.request_id }),
        );
      const c = await connect();
      await expect(c.request(hello), code).rejects.toMatchObject({
        message: 'Nope',
        code: 'error',
      });
      c.close();
    }
  });

  it('fails a request at once when its answer is malformed, not after the timeout', async () => {
    // A welcome without its fields: valid JSON, not the protocol.
    reply = (req, ws) => ws.send(JSON.stringify({ type: 'welcome', request_id: req.request_id }));
    const c = await connect(20_000);
    const started = Date.now();
    await expect(c.request(hello)).rejects.toMatchObject({
      name: 'ControlPlaneError',
      code: 'unavailable',
      message: expect.stringContaining('cannot read') as string,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(pushes).toEqual([]);
  });

  it('drops a pushed party whose peers are not keyed by their ids, and keeps reading', async () => {
    const peer = {
      peer_id: 'pa',
      name: 'A',
      public_key: 'k',
      nat_type: 'open',
      public_ip: '1.2.3.4',
      public_port: 1,
      local_ip: '10.0.0.1',
      local_port: 1,
      last_seen: '2026-01-29T12:00:00',
    };
    const party = {
      party_id: 'p1',
      name: 'P',
      host_id: 'pa',
      created_at: '2026-01-29T12:00:00',
      peers: { someone_else: peer },
    };
    reply = (req, ws) => {
      ws.send(JSON.stringify({ type: 'party_update', party }));
      ws.send(JSON.stringify({ type: 'ack', request_id: req.request_id }));
    };
    const warnings = logger.messages('warn').length;
    const c = await connect();
    await expect(c.request(hello)).resolves.toMatchObject({ type: 'ack' });
    expect(pushes).toEqual([]);
    expect(logger.messages('warn').slice(warnings)).toEqual([
      expect.stringContaining('must equal its key "someone_else"') as string,
    ]);
  });

  it('reports a push its handler cannot apply instead of throwing, and keeps reading', async () => {
    reply = (req, ws) => {
      ws.send(JSON.stringify({ type: 'peer_left', party_id: 'p1', peer_id: 'x' }));
      ws.send(JSON.stringify({ type: 'ack', request_id: req.request_id }));
    };
    const warnings = logger.messages('warn').length;
    client = await WsClient.connect(url, {
      clock: systemClock,
      logger,
      connectTimeoutMs: 2000,
      requestTimeoutMs: 20_000,
      onPush: () => {
        throw new Error('cannot apply');
      },
      onClose: () => {},
    });
    await expect(client.request(hello)).resolves.toMatchObject({ type: 'ack' });
    expect(logger.messages('warn').slice(warnings)).toEqual([
      expect.stringContaining('Ignoring a peer_left from the server: cannot apply') as string,
    ]);
  });

  it('drops a signal push nested 1 330 levels deep (no stack overflow) and keeps reading', async () => {
    const deep = '['.repeat(1330) + ']'.repeat(1330);
    reply = (req, ws) => {
      ws.send(
        `{"type":"signal","party_id":"p1","from_peer_id":"a","to_peer_id":"b","signal_data":${deep}}`,
      );
      ws.send(JSON.stringify({ type: 'ack', request_id: req.request_id }));
    };
    const warnings = logger.messages('warn').length;
    const c = await connect();
    await expect(c.request(hello)).resolves.toMatchObject({ type: 'ack' });
    expect(pushes).toEqual([]);
    expect(logger.messages('warn').slice(warnings)).toEqual([
      'Ignoring a malformed message from the server: nested too deeply',
    ]);
  });

  it('drops a signal push larger than any client sends, unread, and keeps reading', async () => {
    const signal = (data: string) =>
      `{"type":"signal","party_id":"p1","from_peer_id":"a","to_peer_id":"b","signal_data":${data}}`;
    // The largest a server relays still arrives; one byte more is dropped.
    const padding = (total: number) => total - Buffer.byteLength(signal('""'));
    const fits = signal(JSON.stringify('x'.repeat(padding(MAX_SIGNAL_PUSH_BYTES))));
    const over = signal(JSON.stringify('y'.repeat(padding(MAX_SIGNAL_PUSH_BYTES) + 1)));
    expect(Buffer.byteLength(fits)).toBe(MAX_SIGNAL_PUSH_BYTES);
    reply = (req, ws) => {
      ws.send(over);
      ws.send(fits);
      ws.send(JSON.stringify({ type: 'ack', request_id: req.request_id }));
    };
    const warnings = logger.messages('warn').length;
    const c = await connect();
    await expect(c.request(hello)).resolves.toMatchObject({ type: 'ack' });
    expect(pushes.map((p) => p.type === 'signal' && (p.signal_data as string)[0])).toEqual(['x']);
    expect(logger.messages('warn').slice(warnings)).toEqual([
      `Ignoring a malformed message from the server: a signal of ${MAX_SIGNAL_PUSH_BYTES + 1} bytes, larger than any client sends`,
    ]);
  });

  it('ignores a binary frame, even one holding a valid message, and keeps reading', async () => {
    reply = (req, ws) => {
      const push = { type: 'peer_left', party_id: 'p1', peer_id: 'x' };
      ws.send(Buffer.from(JSON.stringify(push)), { binary: true });
      ws.send(JSON.stringify({ type: 'ack', request_id: req.request_id }));
    };
    const c = await connect();
    await expect(c.request(hello)).resolves.toMatchObject({ type: 'ack' });
    expect(pushes).toEqual([]);
    expect(c.isOpen).toBe(true);
  });
  it('gives up on a TLS port that takes the connection and never answers at its timeout', async () => {
    // ws's own timer is the socket's idle timeout: it let such a dial last twice as long.
    const hole = net.createServer((socket) => void socket.resume());
    await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
    const { port } = hole.address() as AddressInfo;
    const clock = new ManualClock();
    const options = { clock, logger, connectTimeoutMs: 5000, requestTimeoutMs: 5000 };
    const dial = WsClient.connect(`wss://127.0.0.1:${port}/ws?pin=x`, {
      ...options,
      onPush: () => {},
      onClose: () => {},
    }).then(
      () => 'open',
      (error: Error) => error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await clock.advance(5000);
    const late = new Promise((resolve) => setTimeout(() => resolve('still dialling'), 1000));
    expect(await Promise.race([dial, late])).toMatch(/: no answer within 5 s$/);
    hole.close();
  });
});
