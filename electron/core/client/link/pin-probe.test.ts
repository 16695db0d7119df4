/**
 * The TLS handshake asked of each place announcing a LAN party with its host's pin, over real
 * sockets: what each shows, and the order in which the link tries them.
 */
import net from 'node:net';
import tls from 'node:tls';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeLanCertificate } from '../../identity/lan-certificate';
import { byPinProbe, probePin, type PinAnswer } from './pin-probe';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

async function listening(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return (server.address() as net.AddressInfo).port;
}

/** A TLS port showing a certificate of its own; returns its port and pin. */
async function tlsPort() {
  const certificate = makeLanCertificate(new Date());
  const server = tls.createServer({ cert: certificate.cert, key: certificate.key }, (s) => s.end());
  return { port: await listening(server), pin: certificate.sha256 };
}

const url = (port: number, pin: string) => `wss://127.0.0.1:${port}/ws?pin=${pin}&plain=8666`;

describe('probePin', () => {
  it('survives a socket that errs twice (a hostile peer), answering silent once', async () => {
    const socket = Object.assign(new EventEmitter(), { destroy: () => {} });
    const connect = vi.spyOn(tls, 'connect').mockReturnValue(socket as unknown as tls.TLSSocket);
    try {
      const answer = probePin(url(1, 'A'.repeat(43)), 1000);
      socket.emit('error', new Error('ECONNRESET'));
      expect(() => socket.emit('error', new Error('again'))).not.toThrow();
      expect(await answer).toBe('silent');
    } finally {
      connect.mockRestore();
    }
  });

  it('tells the certificate the pin names from another, and a port that says nothing', async () => {
    const host = await tlsPort();
    const stranger = await tlsPort();
    const silent = await listening(net.createServer((socket) => void socket.resume()));
    const closed = await listening(net.createServer());
    closers.pop()!();
    expect(await probePin(url(host.port, host.pin))).toBe('shown');
    expect(await probePin(url(stranger.port, host.pin))).toBe('other');
    expect(await probePin(url(silent, host.pin), 200)).toBe('silent');
    expect(await probePin(url(closed, host.pin))).toBe('silent');
  });
});

/**
 * A TLS port that keeps each connection open: whether each hung up (its TCP socket closed) and
 * what each sent once encrypted (a handshake hung up early may never complete here: nothing).
 */
async function keepingPort() {
  const certificate = makeLanCertificate(new Date());
  const closed: boolean[] = [];
  let sent = 0;
  const server = tls.createServer({ cert: certificate.cert, key: certificate.key }, (socket) => {
    socket.on('data', (data: Buffer) => (sent += data.length));
  });
  server.on('connection', (raw: net.Socket) => {
    const at = closed.push(false) - 1;
    raw.on('close', () => (closed[at] = true));
    closers.push(() => raw.destroy());
  });
  server.on('tlsClientError', () => undefined);
  return { port: await listening(server), pin: certificate.sha256, closed, sent: () => sent };
}

/** Whether `done` holds within a second. */
async function within(done: () => boolean): Promise<boolean> {
  for (let waited = 0; waited < 1000 && !done(); waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return done();
}

describe('probePin hangs up', () => {
  // An address from a link is anyone's: the probe hands it nothing but the handshake.
  it('once the certificate is shown, having sent nothing after the handshake', async () => {
    const host = await keepingPort();
    const other = makeLanCertificate(new Date()).sha256;
    expect(await probePin(url(host.port, host.pin))).toBe('shown');
    expect(await probePin(url(host.port, other))).toBe('other');
    const hungUp = () => host.closed.length === 2 && !host.closed.includes(false);
    expect(await within(hungUp)).toBe(true);
    expect(host.sent()).toBe(0);
  });

  it('a port that says nothing, once its time is up', async () => {
    let closed = false;
    const silent = await listening(
      net.createServer((socket) => {
        socket.resume();
        socket.on('close', () => (closed = true));
        closers.push(() => socket.destroy());
      }),
    );
    expect(await probePin(url(silent, 'A'.repeat(43)), 100)).toBe('silent');
    expect(await within(() => closed)).toBe(true);
  });
});

describe('byPinProbe', () => {
  const at = (name: string) => ({ controlUrl: name });
  const answering = (answers: Record<string, PinAnswer | 'never'>) => (name: string) =>
    answers[name] === 'never'
      ? new Promise<PinAnswer>(() => undefined)
      : Promise.resolve(answers[name] as PinAnswer);
  const names = (hosts: { controlUrl: string }[]) => hosts.map((host) => host.controlUrl);

  it('puts the place showing the pin first, drops those showing another, keeps the silent', async () => {
    const hosts = ['a', 'b', 'c', 'd'].map(at);
    const probe = answering({ a: 'other', b: 'silent', c: 'shown', d: 'silent' });
    expect(names(await byPinProbe(hosts, probe))).toEqual(['c', 'b', 'd']);
  });

  it('answers once one shows the pin, without waiting for those still silent', async () => {
    const probe = answering({ a: 'never', b: 'shown' });
    expect(names(await byPinProbe(['a', 'b'].map(at), probe))).toEqual(['b', 'a']);
  });

  it('takes a probe that fails for a silent place, and still answers', async () => {
    const probe = (name: string): Promise<PinAnswer> => {
      if (name === 'a') throw new RangeError('port out of range');
      return name === 'b' ? Promise.reject(new Error('no')) : Promise.resolve('other');
    };
    expect(names(await byPinProbe(['a', 'b', 'c'].map(at), probe))).toEqual(['a', 'b']);
  });

  it('leaves one place, or places all showing another certificate, as they are', async () => {
    let asked = 0;
    const probe = (name: string) => (asked++, answering({ a: 'other', b: 'other' })(name));
    expect(names(await byPinProbe([at('a')], probe))).toEqual(['a']);
    expect(asked).toBe(0);
    expect(names(await byPinProbe(['a', 'b'].map(at), probe))).toEqual(['a', 'b']);
  });
});
