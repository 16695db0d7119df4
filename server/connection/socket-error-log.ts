/**
 * Sockets' protocol errors (a frame without a mask, a bad opcode) as the operator reads them:
 * at most one line a second, naming the address, with how many since. Each was a warning of
 * its own naming only a connection number, so a client opening sockets that send one bad
 * frame each wrote the log as fast as it connected.
 */
import type { Logger } from '../../shared/logger';

export class SocketErrorLog {
  private unlogged = 0;
  private lastLogAt = -Infinity;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = 1000,
  ) {}

  error(connection: string, address: string, message: string): void {
    const at = this.now();
    if (at - this.lastLogAt < this.intervalMs) {
      this.unlogged += 1;
      return;
    }
    const since = this.unlogged > 0 ? `; ${this.unlogged} more socket errors since the last` : '';
    this.logger.warn(`Connection ${connection} (${address}): ${message}${since}`);
    this.lastLogAt = at;
    this.unlogged = 0;
  }
}
