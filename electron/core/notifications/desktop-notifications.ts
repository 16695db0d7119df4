/**
 * What the shell shows as desktop notifications: my party's activity, coalesced per party
 * (notification-coalescer.ts), and the access desk's own (a join request), to every listener.
 */
import type { Clock } from '../../../shared/clock';
import type { IpcLogger } from '../app-service/ipc-registry';
import { callEach } from '../app-service/errors';
import type { NotificationIntent } from '../app-service/types';
import { NotificationCoalescer, type PartyActivity } from './notification-coalescer';
import { NOTIFICATION_WINDOW_MS, PARTY_PHRASES } from './party-notifications';

export class DesktopNotifications {
  private readonly listeners = new Set<(intent: NotificationIntent) => void>();
  private readonly coalescer: NotificationCoalescer;

  constructor(
    clock: Clock,
    private readonly log: IpcLogger,
    windowMs = NOTIFICATION_WINDOW_MS,
  ) {
    this.coalescer = new NotificationCoalescer({
      clock,
      windowMs,
      phrases: PARTY_PHRASES,
      deliver: (intent) => this.deliver(intent),
    });
  }

  /** Returns the unsubscribe function. */
  on(listener: (intent: NotificationIntent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Party activity, told at most once per party per window. */
  add(activity: PartyActivity): void {
    this.coalescer.add(activity);
  }

  /** Told now, as it is. */
  deliver(intent: NotificationIntent): void {
    callEach(this.listeners, intent, this.log);
  }

  close(): void {
    this.coalescer.close();
  }
}
