/**
 * What the shell shows as desktop notifications: my party's activity, coalesced per party
 * (notification-coalescer.ts), and the access desk's own (a join request), to every listener.
 * Every one leaves through `deliver`, which makes it plain text.
 */
import type { Clock } from '../../../shared/time/clock';
import type { Logger } from '../../../shared/logger';
import { callEach } from '../app-service/errors';
import type { NotificationIntent } from '../app-service/types';
import { NotificationCoalescer, type PartyActivity } from './notification-coalescer';
import { NOTIFICATION_WINDOW_MS, PARTY_PHRASES } from './party-notifications';

/**
 * Notification text is plain text. Names in it are chosen by strangers (whoever asks to join),
 * and Electron hands the text to the notification server as it is: some (GNOME, KDE, dunst,
 * mako) draw markup in the body, and KDE makes its links clickable.
 */
export function plainText(text: string): string {
  return text.replace(/&/g, '＆').replace(/</g, '‹').replace(/>/g, '›');
}

export class DesktopNotifications {
  private readonly listeners = new Set<(intent: NotificationIntent) => void>();
  private readonly coalescer: NotificationCoalescer;

  constructor(
    clock: Clock,
    private readonly logger: Logger,
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

  /** Told now, as plain text: the one door every notification leaves by. */
  deliver(intent: NotificationIntent): void {
    const plain = { title: plainText(intent.title), body: plainText(intent.body) };
    callEach(this.listeners, plain, this.logger);
  }

  close(): void {
    this.coalescer.close();
  }
}
