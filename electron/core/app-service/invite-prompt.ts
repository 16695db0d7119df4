/**
 * Deep links ask first: a `lanrage://join/…` link only fills in the join dialog, with what a
 * stranger may see of the party; joining (which sends the user's name, addresses and key to
 * whoever made the link) waits for the user's Join. A malformed link is a plain notice.
 */
import type { DiscoveredParty, InvitePreview } from '../../../shared/ipc/app-state';
import { parseInviteLink } from '../../../shared/invite';
import { usesServer } from '../../../shared/values/server-url';
import type { PartySummaryDict } from '../../../shared/access/protocol';
import { previewOf, type PreviewFacts } from '../../../shared/ipc/invite-preview';
import type { Report } from '../notices';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { ErrorCode } from '../../../shared/protocol/protocol';
import type { ControlPlaneApi } from '../types';
import { looksNearby } from './discovery-feed';

/**
 * A party's summary as a stranger sees it; `pin`: the link's LAN host certificate; `invite`:
 * its token (a private invite-only party shows itself only to one).
 */
export type PartyLookup = (
  partyId: string,
  pin?: string,
  invite?: string,
) => Promise<PartySummaryDict | null>;

/**
 * Where a link's party is looked up: `configured`, the server in use; `lan`, true when no
 * server answers (local mode, or offline from the server) and only this PC's and the LAN's
 * announcements do, where a party not heard yet may still be.
 */
export interface LookupPlace {
  lookup: PartyLookup;
  configured: string | null;
  lan: boolean;
}

/** Asks `control`, the control plane in use, with `configured` its server (null: none). */
export const lookupPlace = (control: ControlPlaneApi, configured: string | null): LookupPlace => ({
  lookup: (partyId, pin, invite) => control.previewParty(partyId, pin, invite),
  configured,
  lan: looksNearby(control),
});

export class InvitePrompt {
  private current: InvitePreview | null = null;
  /** The link behind `current`: read again once its server becomes the one in use. */
  private link: string | null = null;
  /** Counts opened links, so a slow look-up never overwrites a newer link's prompt. */
  private generation = 0;

  constructor(
    /** Tells the page the prompt changed. */
    private readonly emit: (event: { type: 'invite'; invite: InvitePreview | null }) => void,
    private readonly report: Report,
  ) {}

  get value(): InvitePreview | null {
    return this.current;
  }

  /**
   * Shows the link's party for confirmation; a link that cannot be read becomes a notice.
   * A party on another server than the one in use is not looked up: the link's maker would
   * learn the user's address before they chose anything.
   */
  async open(link: string, place: LookupPlace): Promise<void> {
    const parsed = parseInviteLink(link);
    if (!parsed.ok) return this.report(`Could not open the invite link. ${parsed.message}`);
    const elsewhere = parsed.server !== undefined && !usesServer(place.configured, parsed.server);
    const generation = ++this.generation;
    this.link = link;
    const token = parsed.invite ?? null;
    const pin = parsed.pin ?? null;
    const at = parsed.at ?? null;
    if (elsewhere) {
      return this.set(previewOf(parsed.partyId, null, { token, server: parsed.server!, pin }));
    }
    const facts = await this.lookUp(parsed.partyId, place, parsed.pin, parsed.invite);
    if (generation === this.generation) {
      this.set(previewOf(parsed.partyId, facts.summary, { token, pin, at, ...facts }));
    }
  }

  /**
   * The server in use changed (the welcome or a Settings save chose another) or answers
   * again: a waiting link not looked up yet, to a party on that server, is looked up now, so
   * its dialog shows the party's name at last.
   */
  async lookAgain(place: LookupPlace): Promise<void> {
    const waiting = this.current;
    if (this.link === null || waiting === null || waiting.summary || waiting.missing) return;
    if (waiting.server !== null && !usesServer(place.configured, waiting.server)) return;
    await this.open(this.link, place);
  }

  /**
   * "Parties nearby" changed: a link opened before discovery heard its party (a clicked link
   * starts LANrage, and mDNS answers a moment later) is looked up again once it is listed.
   */
  async sawNearby(parties: readonly DiscoveredParty[], place: LookupPlace): Promise<void> {
    const waiting = this.current;
    if (this.link === null || !waiting?.looking) return;
    if (parties.some((p) => p.party_id === waiting.party_id)) await this.open(this.link, place);
  }

  /** The invite token of the link waiting for `partyId`, if it had one. */
  tokenFor(partyId: string): string | undefined {
    return this.current?.party_id === partyId
      ? (this.current.invite_token ?? undefined)
      : undefined;
  }

  /** The host's certificate pin the link waiting for `partyId` named, if it had one. */
  pinFor(partyId: string): string | undefined {
    return this.current?.party_id === partyId ? (this.current.host_pin ?? undefined) : undefined;
  }

  /** Where the host the link waiting for `partyId` names answers, if it said. */
  atFor(partyId: string): string[] | undefined {
    return this.current?.party_id === partyId ? (this.current.host_at ?? undefined) : undefined;
  }

  /** The name the waiting link showed for `partyId`. */
  nameOf(partyId: string): string | null {
    return this.current?.party_id === partyId ? this.current.name : null;
  }

  /** The user joined `partyId` or declined (no id): the prompt goes away. */
  clear(partyId?: string): void {
    if (this.current && (partyId === undefined || this.current.party_id === partyId)) {
      this.generation++;
      this.set(null);
    }
  }

  /**
   * Asks `place` about the party. Only a server's "none" means there is none: without one,
   * none is "not heard yet" (the host's PC may answer discovery a moment later).
   */
  private async lookUp(
    partyId: string,
    place: LookupPlace,
    pin?: string,
    invite?: string,
  ): Promise<PreviewFacts & { summary: PartySummaryDict | null }> {
    try {
      const summary = await place.lookup(partyId, pin, invite);
      const none = summary === null;
      return { summary, missing: none && !place.lan, looking: none && place.lan };
    } catch (error) {
      // Refused for want of an invite: said now, not after Join. Else unreachable: the
      // dialog still asks, with the ID alone.
      const needsInvite =
        error instanceof ControlPlaneError && error.code === ErrorCode.INVITE_INVALID;
      return { summary: null, needsInvite };
    }
  }

  private set(invite: InvitePreview | null): void {
    this.current = invite;
    this.emit({ type: 'invite', invite });
  }
}
