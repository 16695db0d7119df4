/**
 * Test support: a TCP relay to a port on 127.0.0.1 whose later connections hear back late.
 * A Redis backend opens its store's connection first and its subscription second: lagging
 * the second holds a server's view of the others' changes behind its own reads, as a busy
 * subscription (it carries every change, this server's own included) does in production.
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

export interface LaggingRelay {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Connections from the `from`th on (1-based) receive what the target sends `lagMs` later,
 * in order (timers of one duration fire in the order they were set); what they send and the
 * earlier connections' traffic pass at once.
 */
export async function laggingRelay(
  target: number,
  options: { from: number; lagMs: number },
): Promise<LaggingRelay> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const relay = createServer((inbound) => {
    accepted++;
    const lag = accepted >= options.from ? options.lagMs : 0;
    const outbound = connect(target, '127.0.0.1');
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => [inbound, outbound].forEach((s) => s.destroy()));
    }
    inbound.pipe(outbound);
    outbound.on('data', (data: Buffer) => {
      if (lag === 0) return void inbound.write(data);
      setTimeout(() => inbound.writable && inbound.write(data), lag);
    });
    outbound.on('end', () => setTimeout(() => inbound.end(), lag));
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    port: (relay.address() as AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => relay.close(() => resolve()));
    },
  };
}
