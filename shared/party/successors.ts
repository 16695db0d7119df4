/**
 * Who takes over as host when the host goes: the one rule the server applies
 * (presence-table.ts) and the app's Leave dialog proposes, so the heir it shows by default
 * is the one the server would pick.
 */
import { PresenceStatus } from '../presence';

/**
 * The online members, longest present first. `arrival` lists the members in the order they
 * came in (a rejoin keeps its place); `statusOf` is each one's presence. A member whose
 * presence is unknown or offline is nobody's successor: it may not be there to take over.
 */
export function successorOrder(
  arrival: Iterable<string>,
  statusOf: (peerId: string) => PresenceStatus | undefined,
): string[] {
  const out: string[] = [];
  for (const id of arrival) if (statusOf(id) === PresenceStatus.ONLINE) out.push(id);
  return out;
}
