/**
 * Desktop notifications, coalesced: at most one per party every `windowMs`. The first
 * activity of a quiet party is shown at once; what follows within the window is gathered
 * and shown as one summary when the window ends ("3 players joined", "Ann left"), and that
 * starts the next window. 1 001 joins in a second are two notifications, not 1 001.
 *
 * Generic over the kind of activity: each kind brings the function that phrases a group of
 * them (see party-notifications.ts), so new kinds (went offline, host changed) plug in.
 */
import type { NotificationIntent } from '../app-service/types';
import type { Clock, TimerHandle } from '../../../shared/time/clock';

export interface PartyActivity {
  partyId: string;
  partyName: string;
  /** Names a phrase in the coalescer's `phrases`, e.g. `joined`. */
  kind: string;
  /** Who it is about (a display name), or a detail such as why a party closed. */
  subject: string;
}

/** Phrases a group of same-kind activities in one party: ["Ann", "Bob"] → "Ann and Bob joined". */
export type Phrase = (subjects: readonly string[]) => string;

export interface CoalescerOptions {
  clock: Clock;
  windowMs: number;
  phrases: Readonly<Record<string, Phrase>>;
  deliver: (intent: NotificationIntent) => void;
}

interface PartyWindow {
  timer: TimerHandle;
  pending: PartyActivity[];
}

export class NotificationCoalescer {
  private readonly windows = new Map<string, PartyWindow>();

  constructor(private readonly options: CoalescerOptions) {}

  add(activity: PartyActivity): void {
    const open = this.windows.get(activity.partyId);
    if (open) {
      open.pending.push(activity);
      return;
    }
    this.show([activity]);
    this.openWindow(activity.partyId);
  }

  /** Stops every window; what is still gathered is dropped (the app is closing). */
  close(): void {
    for (const window of this.windows.values()) this.options.clock.clearTimeout(window.timer);
    this.windows.clear();
  }

  private openWindow(partyId: string): void {
    const timer = this.options.clock.setTimeout(
      () => this.endWindow(partyId),
      this.options.windowMs,
    );
    this.windows.set(partyId, { timer, pending: [] });
  }

  private endWindow(partyId: string): void {
    const window = this.windows.get(partyId);
    this.windows.delete(partyId);
    if (!window || window.pending.length === 0) return;
    this.show(window.pending);
    this.openWindow(partyId);
  }

  /** One notification for activities of one party, grouped by kind in order of arrival. */
  private show(activities: readonly PartyActivity[]): void {
    const groups = new Map<string, string[]>();
    for (const a of activities) groups.set(a.kind, [...(groups.get(a.kind) ?? []), a.subject]);
    const phrases = [...groups].map(([kind, subjects]) => this.phrase(kind, subjects));
    const partyName = activities[activities.length - 1]!.partyName;
    const intent =
      phrases.length === 1
        ? { title: phrases[0]!, body: `${partyName}: ${phrases[0]!}.` }
        : { title: partyName, body: `${phrases.join('; ')}.` };
    this.options.deliver(intent);
  }

  private phrase(kind: string, subjects: string[]): string {
    const phrase = this.options.phrases[kind];
    return phrase ? phrase(subjects) : `${subjects.join(', ')}: ${kind}`;
  }
}
