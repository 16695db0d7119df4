/**
 * My party as the UI shows it: the view last sent, and the committed party it shows. Each
 * change comes once from the control plane, its events as the server sent them; they go on
 * to the UI as they are (a snapshot goes whole).
 */
import type { PartyView, StateEvent } from '../../../shared/ipc/app-state';
import type { PartyInfo } from '../../../shared/model';
import type { PartyEvent } from '../../../shared/party/events';
import type { ControlPlaneApi } from '../types';
import { partyPatches, partyView } from './views';

export interface ShownPartyHost {
  control(): ControlPlaneApi;
  emit(event: StateEvent): void;
  /** The view is about to be patched (the nearby list and the access desk follow it). */
  changed(before: PartyView | null, after: PartyView | null): void;
  /** The patches went out: the activity list records what happened. */
  record(before: PartyView | null, after: PartyView | null, events: readonly PartyEvent[]): void;
  /** At start: my party as saved by the last run, and as it is now. */
  resumed(saved: PartyView, now: PartyView): void;
}

export class ShownParty {
  /** What the UI was last sent (null: in no party). */
  view: PartyView | null = null;
  /** The party (as the control plane committed it) that `view` shows. */
  private party: PartyInfo | null = null;

  constructor(private readonly host: ShownPartyHost) {}

  /**
   * A control plane was attached: show its party, telling no one (a snapshot follows). What
   * its server changed since the party was saved (the last run, or the plane before) is news.
   */
  reset(): void {
    this.party = this.current();
    this.view = this.viewOf(this.party);
    const saved = this.viewOf(this.host.control().loadedParty);
    if (saved && this.view && saved.party_id === this.view.party_id) {
      this.host.resumed(saved, this.view);
    }
  }

  /** Showing the party a call returned, which its change already showed, is not a change. */
  set(changed: PartyInfo | null, events: readonly PartyEvent[]): void {
    // The server removed me (offline too long): its party, now without me, is not mine to show.
    const party =
      changed && this.host.control().activePartyIds.has(changed.partyId) ? changed : null;
    if (party === this.party && events.length === 0) return;
    this.party = party;
    const before = this.view;
    const after = this.viewOf(party);
    this.view = after;
    this.host.changed(before, after);
    for (const event of partyPatches(before, after, events)) this.host.emit(event);
    this.host.record(before, after, events);
  }

  /** Shows a party a call returned, and returns its view. */
  show(party: PartyInfo): PartyView {
    this.set(party, []);
    return this.viewOf(party)!;
  }

  /** Shows the control plane's party as it is now, and returns its view. */
  refresh(): PartyView | null {
    this.set(this.current(), []);
    return this.view;
  }

  /** The party the control plane says I am in. */
  current(): PartyInfo | null {
    const control = this.host.control();
    const id = control.myPartyId;
    return id ? (control.parties.get(id) ?? null) : null;
  }

  /** My party's id: shown, or else the control plane's. */
  get partyId(): string | null {
    return this.view?.party_id ?? this.host.control().myPartyId;
  }

  private viewOf(party: PartyInfo | null): PartyView | null {
    return partyView(party, party ? this.host.control().presenceOf(party.partyId) : undefined);
  }
}
