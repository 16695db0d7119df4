/**
 * Test support: a tiny TCP load balancer that writes a PROXY header with each client's address
 * before the client's bytes, as HAProxy's `send-proxy` (v1) or `send-proxy-v2` does. It
 * reaches the server from 127.0.0.1 (the address tests trust); clients reach it from other
 * loopback addresses (127.0.0.2, …), which its headers name.
 */
import net from 'node:net';

/** The header for a client, given its socket and the balancer's socket to the server. */
export type HeaderFor = (client: net.Socket, upstream: net.Socket) => Buffer;

export const proxyV1: HeaderFor = (client, upstream) => {
  const family = net.isIPv6(client.remoteAddress ?? '') ? 'TCP6' : 'TCP4';
  const addresses = `${client.remoteAddress} ${upstream.remoteAddress}`;
  return Buffer.from(
    `PROXY ${family} ${addresses} ${client.remotePort} ${upstream.remotePort}\r\n`,
    'latin1',
  );
};

const V2_SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

/** v2, PROXY command, TCP over IPv4 (the tests' loopback clients), with one TLV to skip. */
export const proxyV2: HeaderFor = (client, upstream) => {
  const ipv4 = (text: string | undefined) => Buffer.from((text ?? '').split('.').map(Number));
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(client.remotePort ?? 0, 0);
  ports.writeUInt16BE(upstream.remotePort ?? 0, 2);
  // PP2_TYPE_AUTHORITY (0x02), as a balancer passes the SNI on.
  const tlv = Buffer.concat([Buffer.from([0x02, 0x00, 0x09]), Buffer.from('lan.local')]);
  const body = Buffer.concat([
    ipv4(client.remoteAddress),
    ipv4(upstream.remoteAddress),
    ports,
    tlv,
  ]);
  const head = Buffer.from([0x21, 0x11, 0, 0]);
  head.writeUInt16BE(body.length, 2);
  return Buffer.concat([V2_SIGNATURE, head, body]);
};

export class TestBalancer {
  private readonly sockets = new Set<net.Socket>();
  private readonly upstreams = new Map<string, net.Socket[]>();

  private constructor(private readonly server: net.Server) {}

  /** Listens on 127.0.0.1 and forwards each connection to `targetPort` there. */
  static async start(targetPort: number, header: HeaderFor = proxyV1): Promise<TestBalancer> {
    const server = net.createServer({ pauseOnConnect: true });
    const balancer = new TestBalancer(server);
    server.on('connection', (client) => balancer.forward(client, targetPort, header));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return balancer;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** `ws://` to the server through the balancer. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  /** The balancer's connections to the server for clients at `address`. */
  upstreamsOf(address: string): net.Socket[] {
    return this.upstreams.get(address) ?? [];
  }

  private forward(client: net.Socket, targetPort: number, header: HeaderFor): void {
    const upstream = net.connect({
      port: targetPort,
      host: '127.0.0.1',
      localAddress: '127.0.0.1',
    });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    const address = client.remoteAddress ?? '';
    this.upstreams.set(address, [...this.upstreamsOf(address), upstream]);
    upstream.once('connect', () => {
      upstream.write(header(client, upstream));
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Writes `bytes` to the server from `localAddress` and resolves with what came back once the
 * server closed the connection; `(still open)` is appended (and the socket cut) if it did not
 * within `waitMs`, so a server that neither answers nor closes never reads as a close.
 */
export function rawExchange(
  port: number,
  bytes: Buffer | string,
  localAddress = '127.0.0.1',
  waitMs = 2000,
): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    let answer = '';
    const timer = setTimeout(() => {
      resolve(`${answer}(still open)`);
      socket.destroy();
    }, waitMs);
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.write(bytes);
  });
}
