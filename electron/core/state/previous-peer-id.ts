/**
 * control_state.json names the peer id this app had when it last saved it; keys/ says who it
 * is now. They differ when the identity was replaced (keys/ damaged or deleted and made anew)
 * or the state file came from elsewhere. The parties it was in under the old id are not its
 * own any more: taken at face value, the app hosted its old party again under the old id (kept
 * "online" by its own server) and showed itself in it, while every server refused it the id.
 * They are left out, the state file as it was kept beside it, and the user told in words.
 */
import { copyFile } from 'node:fs/promises';
import type { PartyInfo } from '../../../shared/model';
import type { Logger } from '../../../shared/logger';
import type { Report } from '../notices';
import { errorText } from './set-aside';
import type { PersistedState } from './state-file';

export interface PreviousIdContext {
  /** The state file the state was read from (a copy is kept beside it). */
  path: string;
  now: number;
  logger: Logger;
  report?: Report;
}

/** Where the state as it was is kept: `control_state.json.previous-<time>`. */
export function previousPathFor(path: string, now: number): string {
  return `${path}.previous-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
}

function partyWords(party: PartyInfo, old: string, me: string, kept: string): string {
  const why = `as ${old}, a peer ID this LANrage no longer has (its identity changed: it is ${me} now)`;
  const what =
    party.hostId === old
      ? `Your party ${party.name} was hosted ${why}, so it was not hosted again: create a new party.`
      : `You were in ${party.name} ${why}, so LANrage did not rejoin it: join it again.`;
  return `${what} ${kept}`;
}

async function keepCopy(context: PreviousIdContext): Promise<string> {
  const copy = previousPathFor(context.path, context.now);
  try {
    await copyFile(context.path, copy);
    return `The state as it was is kept as ${copy}.`;
  } catch (error) {
    context.logger.warn(`Could not keep ${context.path} as ${copy}: ${errorText(error)}`);
    return '';
  }
}

/**
 * The state for peer id `me`: unchanged when it was saved by `me` (or by nobody yet, or `me`
 * is not known); else without the parties its old id is in, whose words go to `report`.
 */
export async function forPeerId(
  state: PersistedState,
  me: string | null,
  context: PreviousIdContext,
): Promise<PersistedState> {
  const old = state.myPeerId;
  if (me === null || old === null || old === me) return state;
  const gone = [...state.parties.values()].filter((party) => party.peers.has(old));
  context.logger.warn(`The state file was saved as ${old}; this app is ${me} now`);
  if (gone.length === 0) return { ...state, myPeerId: me };
  const kept = await keepCopy(context);
  for (const party of gone) context.report?.(partyWords(party, old, me, kept).trim());
  const parties = new Map([...state.parties].filter(([, party]) => !gone.includes(party)));
  const myPartyId =
    state.myPartyId !== null && parties.has(state.myPartyId) ? state.myPartyId : null;
  return { ...state, parties, myPeerId: me, myPartyId };
}
