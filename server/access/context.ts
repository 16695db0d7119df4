/**
 * Everything access control keeps, built once from the loaded rows. The server context
 * holds one of these as `access`.
 */
import {
  AccessKind,
  accessRowId,
  rowsOfKind,
  type AccessRow,
  type AccessSink,
  type RowTable,
} from './records';
import { Approvals } from './approvals';
import type { AudienceCheck } from './identity/audience';
import { Bans } from './bans';
import { GuessThrottle, type GuessLimiter } from './guess-throttle';
import { HashGate } from './hash-gate';
import { newServerId } from './identity/identity-proof';
import { Invites } from './invites';
import { KeyBindings } from './identity/key-bindings';
import { PartyPasswords } from './passwords';
import { UsedPartyIds } from './used-ids';
import { MAX_NOTICE_SESSIONS, TimeoutNotices } from '../presence/timeout-notices';
import { ReadMarks } from '../store/read-marks';

export interface AccessContext {
  /** Named in every identity proof, so a signature made for this server is useless elsewhere. */
  readonly serverId: string;
  /** `https://lan.example.org`: invites get a web link, and `/join/…` pages are served. */
  readonly publicUrl: string | null;
  /** Which origins identity proofs must name (1.7); null: none asked, any taken. */
  readonly audience: AudienceCheck | null;
  readonly bindings: KeyBindings;
  readonly usedIds: UsedPartyIds;
  readonly passwords: PartyPasswords;
  readonly guesses: GuessLimiter;
  /** Password hashes and checks, a few at once per address. */
  readonly hashing: HashGate;
  readonly invites: Invites;
  readonly bans: Bans;
  readonly approvals: Approvals;
  /** Removal notices waiting for their member to come back (kicks kept as rows). */
  readonly notices: TimeoutNotices;
  /**
   * When each row (`kind key`) was last read back from a store several servers share: a
   * change to it heard after that read but published before is not applied over it.
   */
  readonly reads: ReadMarks;
}

const SERVER_ID_KEY = 'id';

/**
 * The access state from the stored rows. A row its table cannot read (a tampered or damaged
 * store) is left out and passed to `onUnreadable`, so a ban that no longer holds is not
 * dropped without a word.
 */
export function createAccess(
  rows: readonly AccessRow[],
  sink: AccessSink,
  now: () => number,
  publicUrl: string | null = null,
  guesses: GuessLimiter = new GuessThrottle(now),
  onUnreadable: (row: AccessRow) => void = () => undefined,
): AccessContext {
  let serverId = rowsOfKind(rows, AccessKind.SERVER).get(SERVER_ID_KEY);
  if (serverId === undefined) {
    serverId = newServerId();
    sink.recordAccess(AccessKind.SERVER, SERVER_ID_KEY, serverId);
  }
  const none = new Map<string, string>();
  const access: AccessContext = {
    serverId,
    publicUrl: publicUrl === null ? null : publicUrl.replace(/\/+$/, ''),
    audience: null,
    bindings: new KeyBindings(none, sink),
    usedIds: new UsedPartyIds(none, sink),
    passwords: new PartyPasswords(none, sink),
    guesses,
    hashing: new HashGate(),
    invites: new Invites(none, sink, now),
    bans: new Bans(none, sink),
    approvals: new Approvals(none, sink),
    notices: new TimeoutNotices(MAX_NOTICE_SESSIONS, sink),
    reads: new ReadMarks(),
  };
  for (const row of rows) if (!applyAccessRow(access, row)) onUnreadable(row);
  return access;
}

/** The concern that keeps rows of `kind`; the server id is each server's own. */
function tableOf(access: AccessContext, kind: AccessKind): RowTable | null {
  switch (kind) {
    case AccessKind.KEY:
      return access.bindings;
    case AccessKind.USED_ID:
      return access.usedIds;
    case AccessKind.PASSWORD:
      return access.passwords;
    case AccessKind.BAN:
      return access.bans;
    case AccessKind.INVITE:
      return access.invites;
    case AccessKind.PENDING:
      return access.approvals;
    case AccessKind.NOTICE:
      return access.notices;
    case AccessKind.SERVER:
      return null;
  }
}

/** A stored row, or another server's committed change to one (server/state/replica-follow.ts). */
export function applyAccessRow(access: AccessContext, row: AccessRow): boolean {
  return tableOf(access, row.kind)?.applyRow(row.key, row.value) ?? true;
}

/**
 * Everything as the shared store has it now (read at its commit count `at`): its rows
 * applied, rows it no longer has dropped, except the rows `keep` says this server is still
 * writing (`kind key`). Returns the rows kept that way.
 */
export function reloadAccess(
  access: AccessContext,
  rows: readonly AccessRow[],
  keep: ReadonlySet<string> = new Set(),
  at?: number,
): Pick<AccessRow, 'kind' | 'key'>[] {
  const kept: Pick<AccessRow, 'kind' | 'key'>[] = [];
  for (const kind of Object.values(AccessKind)) {
    const table = tableOf(access, kind);
    if (!table) continue;
    const loaded = rowsOfKind(rows, kind);
    const keys = new Set([...table.rowKeys(), ...loaded.keys()]);
    for (const key of keys) {
      const id = accessRowId({ kind, key });
      if (keep.has(id)) {
        kept.push({ kind, key });
        continue;
      }
      table.applyRow(key, loaded.get(key) ?? null);
      access.reads.markRead(id, at);
    }
  }
  return kept;
}
