/**
 * What the operator's API does to the server's parties: list them all, and end one as its
 * host would (shared/party/transitions endPartyByOperator, through the party service, so
 * members are told, access state goes, and other servers on the same store follow).
 */
import type { AdminPartyDict } from '../../shared/protocol/admin';
import type { PartyInfo } from '../../shared/model';
import { endPartyByOperator } from '../../shared/party/transitions';
import { partySummary } from '../../shared/party/summary';
import type { ServerContext } from '../connection/handlers';
import { StoreConflict } from '../store/store';

/** How often an end refused by a shared store (another server changed the party) is retried. */
const MAX_ATTEMPTS = 5;

export interface Moderation {
  /** Every party this server holds: on a shared store, every server's. Oldest first. */
  parties(): AdminPartyDict[];
  /**
   * Ends the party; resolves true once that is durable, false when there is no such party.
   * @throws when the store could not take the change.
   */
  end(partyId: string): Promise<boolean>;
}

function adminDict(party: PartyInfo): AdminPartyDict {
  return { ...partySummary(party), created_at: party.createdAt.toISOString() };
}

/** Resolves once what was recorded so far is written: true, or the conflict that refused it. */
function committed(context: ServerContext): Promise<true | StoreConflict> {
  return new Promise((resolve, reject) => {
    context.committer.afterCommit({
      onCommit: () => resolve(true),
      onFail: (error) => {
        if (error instanceof StoreConflict) resolve(error);
        else reject(error instanceof Error ? error : new Error(String(error)));
      },
    });
  });
}

/** The party, read back first from a shared store if this server has not heard of it yet. */
async function find(context: ServerContext, partyId: string): Promise<PartyInfo | undefined> {
  if (!context.service.parties.has(partyId)) await context.refresh?.([partyId]);
  return context.service.parties.get(partyId);
}

async function endParty(context: ServerContext, partyId: string): Promise<boolean> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const party = await find(context, partyId);
    if (!party) return false;
    // Stored with the end: a host's app away as it ended would otherwise register it again.
    context.access.usedIds.retire(partyId, new Date(context.clock.now()));
    // Nobody is left out: the host, who did not ask for it, hears party_closed too.
    context.service.apply(partyId, endPartyByOperator(party), new Set());
    const outcome = await committed(context);
    if (outcome === true) return true;
    // Another server changed the party first: read it back and end what is there now.
    await outcome.reloaded;
  }
  throw new Error(`ending ${partyId} was refused ${MAX_ATTEMPTS} times by the shared store`);
}

export function moderation(context: ServerContext): Moderation {
  return {
    parties: () =>
      [...context.service.parties.values()]
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map(adminDict),
    end: (partyId) => endParty(context, partyId),
  };
}
