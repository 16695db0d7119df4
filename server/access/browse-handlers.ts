/**
 * What a party shows to whom (protocol 1.2): members get the party (`party_update`),
 * anyone else only its public summary (`party_summary`), and `list_parties` pages through
 * the public ones, newest first.
 */
import type { PartySummaryDict } from '../../shared/access/protocol';
import { MAX_LIST_LIMIT } from '../../shared/access/protocol';
import type { PartyInfo } from '../../shared/model';
import { Visibility } from '../../shared/party/settings';
import type { HandlerMap } from '../connection/handlers';
import { isMember } from './identity/peer-auth';
import { snapshotBytes } from '../party/snapshots';
import { partySummary, summaryNeedsInvite } from '../../shared/party/summary';
import { RefusalCode } from '../../shared/protocol/refusals';
import { refusal } from './join-handlers';

/** A page boundary: the last party shown, as creation time and id (ties broken by id). */
interface Cursor {
  at: number;
  id: string;
}

function encodeCursor(party: PartyInfo): string {
  return Buffer.from(`${party.createdAt.getTime()} ${party.partyId}`, 'utf8').toString('base64url');
}

function decodeCursor(text: string | undefined): Cursor | null {
  if (text === undefined) return null;
  const [at, id] = Buffer.from(text, 'base64url').toString('utf8').split(' ');
  const ms = Number(at);
  return Number.isSafeInteger(ms) && id ? { at: ms, id } : null;
}

/** Newest first; equal times by id, so the order (and so every cursor) is total. */
function newerFirst(a: PartyInfo, b: PartyInfo): number {
  const dt = b.createdAt.getTime() - a.createdAt.getTime();
  return dt !== 0 ? dt : a.partyId < b.partyId ? -1 : a.partyId > b.partyId ? 1 : 0;
}

function after(party: PartyInfo, cursor: Cursor | null): boolean {
  if (!cursor) return true;
  const at = party.createdAt.getTime();
  return at < cursor.at || (at === cursor.at && party.partyId > cursor.id);
}

export function listPublic(
  parties: Iterable<PartyInfo>,
  query: string | undefined,
  cursorText: string | undefined,
  limit = MAX_LIST_LIMIT,
): { parties: PartySummaryDict[]; next_cursor: string | null } {
  const needle = (query ?? '').trim().toLocaleLowerCase();
  const cursor = decodeCursor(cursorText);
  const matches: PartyInfo[] = [];
  for (const party of parties) {
    if (party.settings.visibility !== Visibility.PUBLIC || !after(party, cursor)) continue;
    if (needle && !party.name.toLocaleLowerCase().includes(needle)) continue;
    matches.push(party);
  }
  matches.sort(newerFirst);
  const page = matches.slice(0, Math.min(limit, MAX_LIST_LIMIT));
  const more = matches.length > page.length;
  return {
    parties: page.map(partySummary),
    next_cursor: more ? encodeCursor(page.at(-1)!) : null,
  };
}

/**
 * What a `list_parties` spends from the snapshot budgets for each party the server holds: it
 * looks through all of them (names lowered, matches sorted), about 1 ms per 5 000 here, for a
 * request of 40 bytes. Unbudgeted, one address at the message rate limit kept a core busy.
 */
export const BROWSE_BYTES_PER_PARTY = 16;

export const browseHandlers: Pick<HandlerMap, 'get_party' | 'list_parties'> = {
  get_party(message, conn, server) {
    const party = server.service.require(message.party_id);
    if (!isMember(conn, party, server)) {
      const { invite } = message;
      const shown =
        !summaryNeedsInvite(party.settings) ||
        (invite !== undefined && server.access.invites.isValid(party.partyId, invite));
      // What a join by the same means would be told, and nothing more.
      if (!shown) throw refusal(RefusalCode.INVITE_INVALID, invite !== undefined);
      return { type: 'party_summary', ...partySummary(party) };
    }
    const snapshot = server.service.answer(party, server.clock.now());
    conn.spendSnapshot(snapshotBytes(snapshot));
    return snapshot;
  },

  list_parties(message, conn, server) {
    conn.spendSnapshot(BROWSE_BYTES_PER_PARTY * server.service.parties.size);
    const page = listPublic(
      server.service.parties.values(),
      message.query,
      message.cursor,
      message.limit,
    );
    return { type: 'party_list', ...page };
  },
};
