/**
 * My party's news, kept by the app service: the activity list and why my last party ended
 * (each sent to the UI as it changes), and the same events as desktop notifications. The
 * list is kept on disk too (activity-file.ts), so an app restarted in the same party shows
 * what happened before it closed.
 */
import {
  ActivityKind,
  MAX_ACTIVITY,
  type ActivityEntry,
  type PartyEnded,
  type PartyView,
  type StateEvent,
} from '../../../shared/ipc/app-state';
import type { PartyEvent } from '../../../shared/party/events';
import type { ActivityFile, SavedActivity } from './activity-file';
import type { PartyActivity } from './notification-coalescer';
import {
  activityFor,
  endedFor,
  prependActivity,
  resumedFor,
  resyncedFor,
  unbannedLine,
} from './party-activity';

/** The notification kind of a host change that made me the host. */
export const HOST_IS_ME = 'host_is_me';

export interface PartyNewsHooks {
  emit(event: StateEvent): void;
  notify(activity: PartyActivity): void;
}

/** Where the list is kept between runs (activity-file.ts). */
export type ActivityKeeper = Pick<ActivityFile, 'load' | 'changed' | 'flush'>;

export class PartyNews {
  activity: ActivityEntry[] = [];
  ended: PartyEnded | null = null;
  /** Set while I leave or end my party myself: that is no news to tell me. */
  leaving = false;
  /** The party `activity` is about (null: none yet). */
  private partyId: string | null = null;

  constructor(
    private readonly hooks: PartyNewsHooks,
    /** null: nothing kept between runs. */
    readonly keeper: ActivityKeeper | null = null,
    /** Told which party ended, and why, as it ends (app-service/back-watch.ts). */
    private readonly onEnded: (partyId: string, ended: PartyEnded) => void = () => undefined,
  ) {}

  record(
    before: PartyView | null,
    after: PartyView | null,
    events: readonly PartyEvent[],
    myPeerId: string,
    at: Date,
  ): void {
    if (after && after.party_id !== before?.party_id) {
      this.setActivity(after.party_id, []);
      this.setEnded(null);
    }
    if (after) {
      this.add(after, myPeerId, [
        ...activityFor(before, events, myPeerId, at),
        ...resyncedFor(before, after, events, myPeerId, at),
      ]);
    }
    const ended = after || this.leaving ? null : endedFor(before, events, myPeerId, at);
    if (ended && before) {
      this.setEnded(ended);
      this.onEnded(before.party_id, ended);
      this.hooks.notify({
        partyId: before.party_id,
        partyName: before.name,
        kind: 'closed',
        subject: ended.message,
      });
    }
  }

  /** record and resumed with who I am and the time filled in (the shown party's hooks). */
  recorder(myPeerId: () => string, now: () => number) {
    const at = () => new Date(now());
    return {
      record: (before: PartyView | null, after: PartyView | null, events: readonly PartyEvent[]) =>
        this.record(before, after, events, myPeerId(), at()),
      resumed: (saved: PartyView, current: PartyView) =>
        this.resumed(saved, current, myPeerId(), at()),
    };
  }

  /** At start: what changed in my party while this app was closed (see resumedFor). */
  resumed(saved: PartyView, now: PartyView, myPeerId: string, at: Date): void {
    this.add(now, myPeerId, resumedFor(saved, now, myPeerId, at));
  }

  /**
   * At start, with the party shown: the list the last run kept, behind what this run has
   * told already, when it is about that party. One about another party (or none shown) goes.
   */
  restore(saved: SavedActivity | null, shownPartyId: string | null): void {
    if (saved && saved.party_id === shownPartyId) {
      const merged = [...this.activity, ...saved.activity].slice(0, MAX_ACTIVITY);
      this.setActivity(saved.party_id, merged);
    } else if (saved && this.partyId === null) {
      this.keeper?.changed(null);
    }
  }

  /** A line for my unban of `name` in `partyId`'s list; no notification: I did it myself. */
  unbanned(partyId: string, peerId: string, name: string, at: Date): void {
    const kept = this.partyId === partyId ? this.activity : [];
    this.setActivity(partyId, prependActivity(kept, [unbannedLine(peerId, name, at)]));
  }

  setEnded(ended: PartyEnded | null): null {
    if (this.ended !== ended) {
      this.ended = ended;
      this.hooks.emit({ type: 'ended', ended });
    }
    return null;
  }

  /** New lines in my party's list, each also a desktop notification. */
  private add(party: PartyView, myPeerId: string, added: readonly ActivityEntry[]): void {
    if (added.length === 0) return;
    this.setActivity(party.party_id, prependActivity(this.activity, added));
    for (const e of added) {
      // My name in the party may be "Bob (2)": a notification naming me so reads as someone else.
      const mine = e.kind === ActivityKind.HOST_CHANGED && e.peer_id === myPeerId;
      this.hooks.notify({
        partyId: party.party_id,
        partyName: party.name,
        kind: mine ? HOST_IS_ME : e.kind,
        subject: e.subject,
      });
    }
  }

  private setActivity(partyId: string, activity: ActivityEntry[]): void {
    this.partyId = partyId;
    this.activity = activity;
    this.hooks.emit({ type: 'activity', activity });
    this.keeper?.changed({ party_id: partyId, activity });
  }
}
