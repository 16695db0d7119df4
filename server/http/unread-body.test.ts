/**
 * No path of the HTTP side reads a request body: one sent anyway must not be read to its end
 * after the answer (Node does, to keep the socket for a next request).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TestRig, delay } from '../test-util/support';
import { UNREAD_BODY_LINGER_MS } from './health';

const TOKEN = 'a'.repeat(40);
/** The body offered: far more than the kernel's buffers take before the answer. */
const BODY_MIB = 64;
const CHUNK = Buffer.concat([
  Buffer.from(`${(1 << 20).toString(16)}\r\n`),
  Buffer.alloc(1 << 20, 0x61),
  Buffer.from('\r\n'),
]);

interface Outcome {
  statusLine: string;
  sentMiB: number;
  /** ms from the answer to the socket's close; null: still open 1.5 s after the last chunk. */
  closedAfterMs: number | null;
}

/** Resolves on `drain`, `close` or after `ms`, whichever comes first. */
function drainOrClose(s: net.Socket, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      s.off('drain', done);
      s.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    s.on('drain', done);
    s.on('close', done);
  });
}

/** Sends `head` and a chunked body of up to BODY_MIB, as fast as the socket takes it. */
function hugeBody(port: number, head: string, allowHalfOpen = false): Promise<Outcome> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen });
    let got = '';
    let answeredAt = 0;
    let sentMiB = 0;
    const outcome = (closedAfterMs: number | null): Outcome => ({
      statusLine: got.split('\r\n')[0] ?? '',
      sentMiB,
      closedAfterMs,
    });
    s.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      answeredAt ||= Date.now();
    });
    s.on('error', () => undefined);
    s.on('close', () => resolve(outcome(answeredAt ? Date.now() - answeredAt : 0)));
    const send = async (): Promise<void> => {
      s.write(`${head}\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const until = Date.now() + 5_000;
      while (!s.destroyed && sentMiB < BODY_MIB && Date.now() < until) {
        sentMiB += 1;
        if (!s.write(CHUNK)) await drainOrClose(s, until - Date.now());
      }
      await delay(1500);
      if (s.destroyed) return;
      resolve(outcome(null));
      s.destroy();
    };
    s.on('connect', () => void send());
  });
}

describe('a request body nobody reads', () => {
  const rig = new TestRig();
  afterEach(() => rig.cleanup());

  it('is answered, then its socket closed, not read to its end', async () => {
    const { port } = await rig.start({ adminToken: TOKEN });
    const cases: [string, string][] = [
      ['POST /admin/parties/party_nosuch99/end HTTP/1.1\r\nAuthorization: Bearer no', '401'],
      [`POST /admin/parties/party_nosuch99/end HTTP/1.1\r\nAuthorization: Bearer ${TOKEN}`, '404'],
      [`PUT /admin/parties HTTP/1.1\r\nAuthorization: Bearer ${TOKEN}`, '405'],
      ['POST /nope HTTP/1.1', '426'],
      ['GET /healthz HTTP/1.1', '200'],
    ];
    for (const [head, status] of cases) {
      const r = await hugeBody(port, head);
      expect(r.statusLine, head).toContain(` ${status} `);
      // The answer was read (the socket is not cut while the client may still be reading it).
      expect(r.closedAfterMs, head).not.toBeNull();
      expect(r.closedAfterMs!, head).toBeLessThan(UNREAD_BODY_LINGER_MS + 2000);
      expect(r.sentMiB, head).toBeLessThan(BODY_MIB);
    }
  }, 60_000);

  it('is cut a moment after the answer when the client does not close its side', async () => {
    const { port } = await rig.start();
    const r = await hugeBody(port, 'POST /nope HTTP/1.1', true);
    expect(r.statusLine).toContain(' 426 ');
    expect(r.closedAfterMs).not.toBeNull();
    expect(r.closedAfterMs!).toBeGreaterThanOrEqual(UNREAD_BODY_LINGER_MS - 100);
    expect(r.closedAfterMs!).toBeLessThan(UNREAD_BODY_LINGER_MS + 2000);
    expect(r.sentMiB).toBeLessThan(BODY_MIB);
  });
});
