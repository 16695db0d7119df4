/**
 * The durable part of access control, as rows of (kind, key, value): identity key bindings,
 * used party ids, password hashes, bans, invites and the server's own id. Each concern
 * (key-bindings.ts, bans.ts, …) keeps its rows in memory and writes every change through
 * an AccessSink, which the group committer implements: a change is on disk, in the same
 * transaction as the party change it goes with, before it is acknowledged. A store
 * (SQLite now, a shared one later) only has to keep rows by kind and key.
 */

export const AccessKind = {
  /** peer id → the identity key it is bound to. */
  KEY: 'key',
  /** party id → when it was first registered: never registered again. */
  USED_ID: 'used_id',
  /** party id → its password's scrypt hash. */
  PASSWORD: 'password',
  /** `<party id> <peer id>` → the ban (JSON). */
  BAN: 'ban',
  /** invite token → the invite (JSON). */
  INVITE: 'invite',
  /** `id` → this server's id (the identity proof names it). */
  SERVER: 'server',
  /** `<party id> <peer id>` → a join waiting for the host's answer (JSON, approvals.ts). */
  PENDING: 'pending',
  /** session token or `key:<public key>` → removal notices not yet told (JSON list). */
  NOTICE: 'notice',
} as const;
export type AccessKind = (typeof AccessKind)[keyof typeof AccessKind];

export interface AccessRow {
  kind: AccessKind;
  key: string;
  /** null: the row is deleted. */
  value: string | null;
  /**
   * The value the change was made on (null: the row did not exist). When given, a store
   * several servers share refuses the commit if the row holds anything else by then (two
   * servers counting one invite's last use, binding one peer id to two keys).
   */
  base?: string | null;
}

export interface AccessSink {
  recordAccess(kind: AccessKind, key: string, value: string | null, base?: string | null): void;
}

/**
 * A concern's rows as another server sharing the store changed them (server/state/): each
 * is applied to the memory copy, not recorded again.
 */
export interface RowTable {
  /** false: a value this table cannot read, ignored (its loader says so). */
  applyRow(key: string, value: string | null): boolean;
  /** Every row key held now (a reload drops the ones the store no longer has). */
  rowKeys(): string[];
}

/**
 * A row's identity, `kind key`: the field a shared store keeps it under, and how rows are told
 * apart.
 */
export const accessRowId = (row: Pick<AccessRow, 'kind' | 'key'>): string =>
  `${row.kind} ${row.key}`;

export const ACCESS_KINDS: readonly string[] = Object.values(AccessKind);

export const isAccessKind = (kind: string): kind is AccessKind => ACCESS_KINDS.includes(kind);

/** The loaded rows of one kind, key → value. */
export function rowsOfKind(rows: readonly AccessRow[], kind: AccessKind): Map<string, string> {
  const out = new Map<string, string>();
  for (const row of rows) {
    if (row.kind !== kind) continue;
    if (row.value === null) out.delete(row.key);
    else out.set(row.key, row.value);
  }
  return out;
}

/** Reads a JSON row, or null when it is not readable (a row is never fatal). */
export function readJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}
