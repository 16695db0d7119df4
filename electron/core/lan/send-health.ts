/**
 * Whether LAN discovery can send. A firewall dropping multicast on output (EPERM), or no
 * route for it (ENETUNREACH, EHOSTUNREACH), left the socket open and every query and
 * announcement failing: only the log said so, while Parties nearby read "None right now"
 * with a party one hop away, and nobody nearby could see this PC's. Repeated failures with
 * no send getting out between them are told (a notice, and a line under Parties nearby);
 * one send that gets out clears it (and a later block is told again).
 */
import { RecurringFault, type Report } from '../notices';

/** The errors that mean nothing leaves this PC for the LAN, not one bad packet. */
const BLOCKING = new Set(['EPERM', 'EACCES', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);

/** Failed sends in a row, none getting out between, before it is told. */
export const BLOCKED_AFTER = 3;

export function blockedNotice(code: string): string {
  return (
    `LANrage cannot search your network (${code}): a firewall on this PC may block ` +
    'multicast (UDP 5353), or this PC has no network. Parties nearby may miss parties, and ' +
    'nobody nearby sees yours: ask the host for an invite link.'
  );
}

export class SendHealth {
  private failures = 0;
  private isBlocked = false;
  private readonly fault: RecurringFault;
  private readonly listeners = new Set<() => void>();

  constructor(report: Report | undefined) {
    this.fault = new RecurringFault(report);
  }

  get blocked(): boolean {
    return this.isBlocked;
  }

  /** One send's outcome on one interface (null: it went out). */
  sent(error: Error | null): void {
    if (error === null) {
      this.failures = 0;
      if (this.isBlocked) this.set(false);
      return;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined || !BLOCKING.has(code)) return;
    if (++this.failures < BLOCKED_AFTER || this.isBlocked) return;
    this.fault.tell(blockedNotice(code));
    this.set(true);
  }

  /** Told when `blocked` changes; returns unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(blocked: boolean): void {
    this.isBlocked = blocked;
    if (!blocked) this.fault.cleared();
    for (const listener of [...this.listeners]) listener();
  }
}
