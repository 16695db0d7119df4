/**
 * Members removed for being offline too long, kept for their session so the server can tell
 * them when they come back (`peer_left` with reason `timeout`, sent to the removed member
 * itself right after the `welcome` of its resumed session). Members the host kicked (or
 * banned) are kept the same way, as `kicked`, by session and by identity key (keyNotices):
 * an app closed meanwhile must learn it, not rejoin the party on its resync. Without it the app found itself
 * missing from its party and silently joined again; a gamer expects to be told, as the other
 * members were. Kept by session token, not by peer id: a stranger must not learn who was
 * removed, and only the app that held the session has its token.
 *
 * Memory only, bounded: a restart forgets them (the app then rejoins as before), and so does
 * a day passing or a flood of removals (the oldest go first).
 */

export interface TimeoutNotice {
  partyId: string;
  peerId: string;
  /** Epoch ms of the removal. */
  at: number;
  /** Kicked by the host (not timed out); `banned` too. */
  kicked?: { banned: boolean };
}

/** Where notices for an identity key are kept (tokens are random: no clash). */
export const keyNotices = (publicKey: string): string => `key:${publicKey}`;

/** How long a notice waits for its session to come back. */
export const NOTICE_TTL_MS = 24 * 60 * 60 * 1000;
/** Sessions with notices waiting, at most (about 100 bytes each). */
export const MAX_NOTICE_SESSIONS = 50_000;
/** Notices per session, at most (a peer hosts at most a few parties). */
const MAX_PER_SESSION = 16;

export class TimeoutNotices {
  private readonly byToken = new Map<string, TimeoutNotice[]>();

  constructor(private readonly maxSessions = MAX_NOTICE_SESSIONS) {}

  record(token: string, notice: TimeoutNotice): void {
    const list = this.byToken.get(token) ?? [];
    // Re-inserted so the Map's order stays oldest-first for eviction.
    this.byToken.delete(token);
    list.push(notice);
    this.byToken.set(token, list.slice(-MAX_PER_SESSION));
    if (this.byToken.size > this.maxSessions) {
      this.byToken.delete(this.byToken.keys().next().value!);
    }
  }

  /** The session's notices younger than the TTL, each given once. */
  take(token: string, now: number): TimeoutNotice[] {
    const list = this.byToken.get(token);
    if (!list) return [];
    this.byToken.delete(token);
    return list.filter((n) => now - n.at < NOTICE_TTL_MS);
  }

  /** Drops notices older than the TTL (run with the sweep). */
  prune(now: number): void {
    for (const [token, list] of this.byToken) {
      const fresh = list.filter((n) => now - n.at < NOTICE_TTL_MS);
      if (fresh.length === 0) this.byToken.delete(token);
      else if (fresh.length !== list.length) this.byToken.set(token, fresh);
    }
  }

  get size(): number {
    return this.byToken.size;
  }
}
