/**
 * A TCP relay to a port on 127.0.0.1 that keeps every byte, as someone on the path would,
 * and can be cut, closed (connections then are refused, as to a port nothing listens on) or
 * hung (connections taken and never answered, as past a firewall that drops them).
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

export interface TcpTap {
  readonly port: number;
  /** What the clients sent, and what they were sent. */
  sent(): Buffer;
  received(): Buffer;
  /** How many connections it has relayed. */
  accepted(): number;
  /** Ends every relayed connection, as a network drop would; new ones still pass. */
  cut(): void;
  /** Ends every relayed connection and stops listening. */
  close(): Promise<void>;
  /** Ends every relayed connection; new ones are taken and never answered (nor relayed). */
  hang(): void;
}

/** `at`: the port to listen on (0: any free one), as a host back at the same address. */
export async function tcpTap(target: number, at = 0): Promise<TcpTap> {
  const fromClient: Buffer[] = [];
  const toClient: Buffer[] = [];
  const sockets: Socket[] = [];
  let accepted = 0;
  let hanging = false;
  const relay = createServer((inbound) => {
    accepted++;
    if (hanging) {
      sockets.push(inbound);
      inbound.on('error', () => undefined);
      return;
    }
    const outbound = connect(target, '127.0.0.1');
    sockets.push(inbound, outbound);
    inbound.on('data', (data: Buffer) => fromClient.push(data));
    outbound.on('data', (data: Buffer) => toClient.push(data));
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('error', () => outbound.destroy());
    outbound.on('error', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(at, '127.0.0.1', resolve));
  return {
    port: (relay.address() as AddressInfo).port,
    sent: () => Buffer.concat(fromClient),
    received: () => Buffer.concat(toClient),
    accepted: () => accepted,
    cut: () => {
      for (const socket of sockets.splice(0)) socket.destroy();
    },
    hang: () => {
      hanging = true;
      for (const socket of sockets.splice(0)) socket.destroy();
    },
    close: () => {
      for (const socket of sockets.splice(0)) socket.destroy();
      return new Promise((resolve) => relay.close(() => resolve()));
    },
  };
}
