/**
 * What the embedded server's rows that grow by design cost the app per entry (local mode),
 * measured in the app's process the way the soak reads its heap (after full GCs), with the
 * server's own classes writing into a real FilePartyStore: a kick's removal notice (kept a
 * day) and a used party id (kept for good), each in memory and as the store's row. The app
 * soak subtracts their growth from the heap's; what is left is growth nothing explains.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilePartyStore } from '../../../electron/core/hosting/embedded/file-party-store';
import { AccessKind, type AccessSink } from '../../../server/access/records';
import { discardAccess } from '../../../server/access/test-util/discard-access';
import { UsedPartyIds } from '../../../server/access/used-ids';
import { TimeoutNotices } from '../../../server/presence/timeout-notices';
import type { AccessRow } from '../../../server/store/store';
import { randomToken } from '../../../shared/values/ids';
import { silentLogger } from '../../../shared/logger';
import { ENTRIES, perEntry } from '../by-design';

export interface AppEntryCosts {
  /** A kicked member's notice, by its 32-character session token, and its row. */
  notice: number;
  used_id: number;
}

/** The size names in appSizes() whose growth these costs explain. */
export const APP_BY_DESIGN_SIZES: Record<keyof AppEntryCosts, string> = {
  notice: 'store:notice rows (by design, a day)',
  used_id: 'store:used_id rows (by design, forever)',
};

const quiet = { logger: silentLogger };

/**
 * Bytes per entry of an access table as the embedded server holds it after a restart (it
 * restarts each time the app hosts again): filled through its sink, the rows committed to a
 * real FilePartyStore, then the store read back from its file and the table from its rows.
 * What is kept is that copy: the strings read back are each entry's own.
 */
function reloadedCost<T>(
  path: string,
  kind: AccessKind,
  table: (sink: AccessSink, rows: ReadonlyMap<string, string>) => T,
  fill: (table: T, i: number) => void,
): Promise<number> {
  return perEntry(() => {
    const rows: AccessRow[] = [];
    const sink: AccessSink = {
      recordAccess: (k: AccessKind, key: string, value: string | null) =>
        void rows.push({ kind: k, key, value }),
    };
    let filled: T | null = table(sink, new Map());
    const kept: unknown[] = [];
    const finish = async (): Promise<void> => {
      const store = new FilePartyStore(path, quiet);
      store.load();
      await store.commit({ parties: [], owners: [], access: rows.splice(0) });
      filled = null;
      const again = new FilePartyStore(path, quiet);
      const own = (again.load().access ?? []).filter((row) => row.kind === kind);
      kept.push(again, table(discardAccess, new Map(own.map((r) => [r.key, r.value ?? '']))));
    };
    return { fill: (i) => fill(filled!, i), finish, keep: kept };
  });
}

export async function appEntryCosts(): Promise<AppEntryCosts> {
  const dir = mkdtempSync(join(tmpdir(), 'lanrage-soak-costs-'));
  try {
    const at = Date.now();
    const notice = await reloadedCost(
      join(dir, 'notices.json'),
      AccessKind.NOTICE,
      (sink, rows) => new TimeoutNotices(ENTRIES + 1, sink, rows),
      (notices, i) => {
        const kicked = { banned: i % 4 === 0 };
        const entry = { partyId: `party_${'n'.repeat(13)}`, peerId: `drop-${i}-b`, at, kicked };
        notices.record(randomToken(32), entry);
      },
    );
    const used_id = await reloadedCost(
      join(dir, 'used.json'),
      AccessKind.USED_ID,
      (sink, rows) => new UsedPartyIds(rows, sink),
      (used, i) => used.add(`party_${String(i).padStart(13, 'u')}`, new Date(at), null),
    );
    return { notice, used_id };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
