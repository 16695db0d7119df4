/**
 * "<party> is back": a party that ended because its host went away (its app crashed, its PC
 * restarted, or it stopped answering without saying its PC went to sleep) and is heard again
 * under Parties nearby, by mDNS or at the address its link named (hosting/at-watch.ts), within
 * BACK_WITHIN_MS. The guest was told the host left (or stopped answering) after its relinks
 * or its wait, and nothing said that the party was there again.
 *
 * Once per return: the party must first be missing from the list (a crashed host's
 * announcement outlives it by up to 5 s), then listed again. The notice goes when the party is
 * joined or not heard any more; dismissed, it is not offered again until the next return.
 */
import type { DiscoveredParty, PartyEnded } from '../../../shared/ipc/app-state';
import { CloseReason } from '../../../shared/party/events';
import type { Clock } from '../../../shared/time/clock';
import type { NoticeBoard } from '../notices';

export const BACK_WITHIN_MS = 30 * 60_000;

/** Endings where the host went away rather than ended the party or removed us. */
const WENT_AWAY: ReadonlySet<string> = new Set([CloseReason.HOST_LEFT, CloseReason.HOST_SILENT]);

export interface BackWatchDeps {
  clock: Clock;
  notices: Pick<NoticeBoard, 'offer' | 'withdraw'>;
  /**
   * The certificate pin its host showed us (kept, or last kept: host-pins.ts); undefined:
   * none known. Anyone on the LAN can announce a party id a member knows.
   */
  pinOf?: (partyId: string) => string | undefined;
}

interface Gone {
  name: string;
  /** When it ended, or last went missing again after a return. */
  since: number;
  missing: boolean;
  offered: boolean;
}

export const backNotice = (name: string): string =>
  `${name} is back: its host is hosting it again.`;

export class BackWatch {
  private readonly gone = new Map<string, Gone>();

  constructor(private readonly deps: BackWatchDeps) {}

  /** My party ended; because its host went away (not left, removed or ended): watched. */
  ended(partyId: string, ended: PartyEnded): void {
    if (!WENT_AWAY.has(ended.reason)) return;
    const since = this.deps.clock.now();
    this.gone.set(partyId, { name: ended.party_name, since, missing: false, offered: false });
  }

  /** After each look at Parties nearby: `list` as shown, `myPartyId` the party I am in. */
  check(list: readonly DiscoveredParty[], myPartyId: string | null): void {
    const now = this.deps.clock.now();
    for (const [partyId, gone] of [...this.gone]) {
      const heard = list.some((p) => this.isItsHost(partyId, p));
      if (partyId === myPartyId || (!gone.offered && now - gone.since > BACK_WITHIN_MS)) {
        this.forget(partyId, gone);
      } else if (heard && gone.missing) {
        gone.missing = false;
        gone.offered = true;
        this.deps.notices.offer(backNotice(gone.name), partyId);
      } else if (!heard && !gone.missing) {
        gone.missing = true;
        gone.since = now;
        if (gone.offered) this.deps.notices.withdraw(partyId);
        gone.offered = false;
      }
    }
  }

  /**
   * A row of the party, uncontested, from its host's certificate when we know it; or hosted on
   * this PC (discovery.json, in this user's own home: nobody on the LAN writes it).
   */
  private isItsHost(partyId: string, p: DiscoveredParty): boolean {
    if (p.party_id !== partyId || p.contested) return false;
    if (p.where === 'this_pc') return true;
    const pin = this.deps.pinOf?.(partyId);
    return pin === undefined || p.host_pin === pin;
  }

  private forget(partyId: string, gone: Gone): void {
    this.gone.delete(partyId);
    if (gone.offered) this.deps.notices.withdraw(partyId);
  }
}
