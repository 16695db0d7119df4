/**
 * Deep links ask first: a `lanrage://join/…` link only fills in the join dialog, with what a
 * stranger may see of the party; joining (which sends the user's name, addresses and key to
 * whoever made the link) waits for the user's Join. A malformed link is a plain notice.
 */
import type { InvitePreview } from '../../shared/ipc';
import { parseInvite } from '../../shared/invite';
import type { PartyInfo } from '../../shared/model';
import type { Report } from './notices';

export type PartyLookup = (partyId: string) => Promise<PartyInfo | null>;

export function previewOf(partyId: string, party: PartyInfo | null): InvitePreview {
  return {
    party_id: partyId,
    name: party?.name ?? null,
    host_name: party?.peers.get(party.hostId)?.name ?? null,
    peer_count: party?.peers.size ?? null,
    summary: null,
    invite_token: null,
  };
}

export class InvitePrompt {
  private current: InvitePreview | null = null;
  /** Counts opened links, so a slow look-up never overwrites a newer link's prompt. */
  private generation = 0;

  constructor(
    private readonly onChange: (invite: InvitePreview | null) => void,
    private readonly report: Report,
  ) {}

  get value(): InvitePreview | null {
    return this.current;
  }

  /** Shows the link's party for confirmation; a link that cannot be read becomes a notice. */
  async open(link: string, lookup: PartyLookup): Promise<void> {
    const parsed = parseInvite(link);
    if (!parsed.ok) return this.report(`Could not open the invite link. ${parsed.message}`);
    const generation = ++this.generation;
    let party: PartyInfo | null = null;
    try {
      party = await lookup(parsed.partyId);
    } catch {
      // Unknown or unreachable: the dialog still asks, with the ID alone.
    }
    if (generation === this.generation) this.set(previewOf(parsed.partyId, party));
  }

  /** The user joined `partyId` or declined (no id): the prompt goes away. */
  clear(partyId?: string): void {
    if (this.current && (partyId === undefined || this.current.party_id === partyId)) {
      this.generation++;
      this.set(null);
    }
  }

  private set(invite: InvitePreview | null): void {
    this.current = invite;
    this.onChange(invite);
  }
}
