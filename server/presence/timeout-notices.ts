/**
 * Members removed for being offline too long, kept for their session so the server can tell
 * them when they come back (`peer_left` with reason `timeout`, sent to the removed member
 * itself right after the `welcome` of its resumed session). Members the host kicked (or
 * banned) are kept the same way, as `kicked`, by session and by identity key (keyNotices):
 * an app closed meanwhile must learn it, not rejoin the party on its resync. Without it the app
 * found itself missing from its party and silently joined again; a gamer expects to be told, as the
 * other members were. Kept by session token, not by peer id: a stranger must not learn who was
 * removed, and only the app that held the session has its token.
 *
 * Kick notices are kept with the access state (rows of kind `notice`, one per holder), so
 * they survive a restart and, on a shared Redis, reach a member who comes back through
 * another server; a row goes once its notices are told, or with the sweep a day later.
 * Timeout notices stay memory only (the sweep makes them in bulk; a restart gives every
 * peer a fresh grace period anyway). Bounded: a day passing or a flood of removals (the
 * oldest go first) forgets them.
 */
import { z } from 'zod';
import { AccessKind, readJson, type AccessSink, type RowTable } from '../access/records';

export interface TimeoutNotice {
  partyId: string;
  peerId: string;
  /** Epoch ms of the removal. */
  at: number;
  /** Kicked by the host (not timed out); `banned` too. */
  kicked?: { banned: boolean };
}

/**
 * Where notices for an identity key are kept. A client may send any string as its session
 * token, this one included, so only takeForKey (after the key was proved) reads these: a
 * stranger naming `key:<someone's public key>` as its token was handed, and used up, that
 * member's kick notices. The prefix stays as stored rows already spell it.
 */
const KEY_HOLDER = 'key:';
const keyNotices = (publicKey: string): string => `${KEY_HOLDER}${publicKey}`;

/** How long a notice waits for its session to come back. */
export const NOTICE_TTL_MS = 24 * 60 * 60 * 1000;
/** Sessions with notices waiting, at most (~250 bytes each with one notice: bench:soak). */
export const MAX_NOTICE_SESSIONS = 50_000;
/** Notices per session, at most (a peer hosts at most a few parties). */
const MAX_PER_SESSION = 16;

const KickRowSchema = z.array(
  z.object({ party_id: z.string(), peer_id: z.string(), at: z.number(), banned: z.boolean() }),
);

export class TimeoutNotices implements RowTable {
  private readonly byToken = new Map<string, TimeoutNotice[]>();
  /** Holders whose kick notices have a row. */
  private readonly stored = new Set<string>();

  constructor(
    private readonly maxSessions: number,
    private readonly sink: AccessSink,
    rows: ReadonlyMap<string, string> = new Map(),
  ) {
    for (const [holder, value] of rows) this.applyRow(holder, value);
  }

  /** Keeps a notice for a session's token. */
  record(token: string, notice: TimeoutNotice): void {
    if (token.startsWith(KEY_HOLDER)) return;
    this.keep(token, notice);
  }

  /** Keeps a notice for an identity key. */
  recordForKey(publicKey: string, notice: TimeoutNotice): void {
    this.keep(keyNotices(publicKey), notice);
  }

  private keep(holder: string, notice: TimeoutNotice): void {
    this.set(holder, [...(this.byToken.get(holder) ?? []), notice]);
    if (notice.kicked) this.save(holder);
    if (this.byToken.size > this.maxSessions) this.forget(this.byToken.keys().next().value!);
  }

  /** Re-inserted so the Map's order stays oldest-first for eviction. */
  private set(token: string, list: TimeoutNotice[]): void {
    this.byToken.delete(token);
    if (list.length > 0) this.byToken.set(token, list.slice(-MAX_PER_SESSION));
  }

  /** Writes the holder's kick notices (or drops its row when it has none left). */
  private save(holder: string): void {
    const kicks = (this.byToken.get(holder) ?? []).filter((n) => n.kicked);
    if (kicks.length === 0 && !this.stored.has(holder)) return;
    const rows = kicks.map((n) => ({
      party_id: n.partyId,
      peer_id: n.peerId,
      at: n.at,
      banned: n.kicked!.banned,
    }));
    if (kicks.length > 0) this.stored.add(holder);
    else this.stored.delete(holder);
    this.sink.recordAccess(AccessKind.NOTICE, holder, rows.length ? JSON.stringify(rows) : null);
  }

  private forget(holder: string): void {
    this.byToken.delete(holder);
    this.save(holder);
  }

  /** The session's notices younger than the TTL, each given once; never a key's. */
  take(token: string, now: number): TimeoutNotice[] {
    return token.startsWith(KEY_HOLDER) ? [] : this.takeHolder(token, now);
  }

  /** The key's notices: call only once the connection proved the key. */
  takeForKey(publicKey: string, now: number): TimeoutNotice[] {
    return this.takeHolder(keyNotices(publicKey), now);
  }

  private takeHolder(holder: string, now: number): TimeoutNotice[] {
    const list = this.byToken.get(holder);
    if (!list) return [];
    this.forget(holder);
    return list.filter((n) => now - n.at < NOTICE_TTL_MS);
  }

  /** Drops notices older than the TTL (run with the sweep). */
  prune(now: number): void {
    for (const [token, list] of [...this.byToken]) {
      const fresh = list.filter((n) => now - n.at < NOTICE_TTL_MS);
      if (fresh.length === list.length) continue;
      this.set(token, fresh);
      this.save(token);
    }
  }

  /** Another server's (or the loaded) kick notices of a holder; its timeout ones stay. */
  applyRow(holder: string, value: string | null): boolean {
    const parsed = value === null ? null : KickRowSchema.safeParse(readJson(value));
    const kicks = (parsed?.success ? parsed.data : []).map((r) => ({
      partyId: r.party_id,
      peerId: r.peer_id,
      at: r.at,
      kicked: { banned: r.banned },
    }));
    const timeouts = (this.byToken.get(holder) ?? []).filter((n) => !n.kicked);
    this.set(holder, [...timeouts, ...kicks]);
    if (kicks.length > 0) this.stored.add(holder);
    else this.stored.delete(holder);
    return parsed?.success !== false;
  }

  rowKeys(): string[] {
    return [...this.stored];
  }

  get size(): number {
    return this.byToken.size;
  }
}
