/**
 * Who may act as which peer. A session (identified by a secret token handed out in
 * `welcome`) owns every peer id it was first to use; a reconnecting client presents its
 * token in `hello` to get them back. Ownership is persisted with the parties, so a
 * restarted server still recognises its clients.
 */
import { ControlPlaneError } from '../../shared/protocol/errors';
import { randomToken } from '../../shared/values/ids';
import { ErrorCode } from '../../shared/protocol/protocol';
import { ReadMarks } from '../store/read-marks';

/** ~160 random bits. */
const TOKEN_LENGTH = 32;

export interface OwnerSink {
  /**
   * null token: the ownership is gone. `from`: the session it was taken from (a key-bound
   * id reclaimed by its key's holder), which a shared store expects to find there.
   */
  recordOwner(peerId: string, token: string | null, from?: string): void;
}

/**
 * The refusal of a peer id someone else holds, in one wording whether a key or a session holds
 * it: two wordings told a stranger which kind of client had the id (register_party and a
 * join to a real party cannot avoid refusing it; every other probe names the party first).
 */
export function notYours(peerId: string): ControlPlaneError {
  return new ControlPlaneError(
    `Peer ${peerId} belongs to another LANrage installation or session`,
    {
      code: ErrorCode.FORBIDDEN,
      field: 'peer_id',
    },
  );
}

export class SessionRegistry {
  /** Where each ownership was last read from a store several servers share (ReadMarks). */
  readonly reads = new ReadMarks();
  private readonly owners: Map<string, string>;
  private readonly peersByToken = new Map<string, Set<string>>();
  /**
   * token → when it was issued (ms) and how many open connections act for it. One that owns
   * nothing is forgotten when the last of them closes (release): kept until the prune, every
   * connect-hello-close from one address left a session behind for the peer timeout.
   */
  private readonly issued = new Map<string, { at: number; conns: number }>();
  /** peer id → when its owner last acted as it (ms); in memory only. */
  private readonly lastUsed = new Map<string, number>();

  /** `now`: loaded owners count as used at start, like peers get a fresh grace period. */
  constructor(
    owners: ReadonlyMap<string, string>,
    private readonly sink: OwnerSink,
    private readonly now: () => number = Date.now,
  ) {
    this.owners = new Map(owners);
    const at = now();
    for (const [peerId, token] of owners) {
      this.index(peerId, token);
      this.lastUsed.set(peerId, at);
    }
  }

  private index(peerId: string, token: string): void {
    let peers = this.peersByToken.get(token);
    if (!peers) this.peersByToken.set(token, (peers = new Set()));
    peers.add(peerId);
  }

  /** A new session token, for the connection that asked (release it when that closes). */
  issue(): string {
    const token = randomToken(TOKEN_LENGTH);
    this.issued.set(token, { at: this.now(), conns: 1 });
    return token;
  }

  /** One more open connection acts for `token` (a hello resumed it there). */
  hold(token: string): void {
    const issued = this.issued.get(token);
    if (issued) issued.conns++;
  }

  /**
   * A connection acting for `token` closed (or moved to another session). A token that owns
   * nothing, with no connection left, is forgotten: presented again, it would resume nothing,
   * so its client is simply issued a new one. One that owns a peer id stays until the prune.
   */
  release(token: string): void {
    const issued = this.issued.get(token);
    if (!issued) return;
    issued.conns = Math.max(0, issued.conns - 1);
    if (issued.conns === 0 && !this.peersByToken.has(token)) this.issued.delete(token);
  }

  /** Whether a client presenting `token` gets that session back. */
  isKnown(token: string): boolean {
    return this.issued.has(token) || this.peersByToken.has(token);
  }

  ownerOf(peerId: string): string | undefined {
    return this.owners.get(peerId);
  }

  /** @throws ControlPlaneError `forbidden` when another session owns `peerId`. */
  authorize(token: string, peerId: string): void {
    const owner = this.owners.get(peerId);
    if (owner !== undefined && owner !== token) {
      throw notYours(peerId);
    }
    if (owner !== undefined) this.lastUsed.set(peerId, this.now());
  }

  /**
   * Makes `token` the owner of `peerId` if nobody is (call after authorize); true when that
   * recorded a new (durable) ownership.
   */
  claim(token: string, peerId: string): boolean {
    if (this.owners.has(peerId)) return false;
    this.owners.set(peerId, token);
    this.index(peerId, token);
    this.lastUsed.set(peerId, this.now());
    this.sink.recordOwner(peerId, token);
    return true;
  }

  /** Another server sharing the store recorded (or pruned: null) an ownership. */
  applyRemote(peerId: string, token: string | null): void {
    const previous = this.owners.get(peerId);
    if (previous !== undefined) {
      const peers = this.peersByToken.get(previous);
      peers?.delete(peerId);
      if (peers?.size === 0) this.peersByToken.delete(previous);
    }
    if (token === null) {
      this.owners.delete(peerId);
      this.lastUsed.delete(peerId);
      return;
    }
    this.owners.set(peerId, token);
    this.index(peerId, token);
    this.lastUsed.set(peerId, this.now());
  }

  /**
   * Makes `token` the owner of `peerId` (after authorization): claims it, or moves it from
   * another session (a key-bound id its key's holder reclaims). True when that recorded a
   * new (durable) ownership.
   */
  take(token: string, peerId: string): boolean {
    const owner = this.owners.get(peerId);
    if (owner === token) {
      this.lastUsed.set(peerId, this.now());
      return false;
    }
    if (owner !== undefined) {
      const peers = this.peersByToken.get(owner);
      peers?.delete(peerId);
      if (peers?.size === 0) this.peersByToken.delete(owner);
    }
    this.owners.set(peerId, token);
    this.index(peerId, token);
    this.lastUsed.set(peerId, this.now());
    this.sink.recordOwner(peerId, token, owner);
    return true;
  }

  /**
   * Forgets ownerships of peer ids that are in no party (`members` are those that are) and
   * unused for longer than `maxIdleMs`, and tokens issued that long ago that own nothing.
   * Without this, every peer id ever used would stay reserved, in memory and on disk.
   * Returns how many ownerships were pruned.
   */
  prune(members: ReadonlySet<string>, maxIdleMs: number): number {
    const cutoff = this.now() - maxIdleMs;
    let pruned = 0;
    for (const [peerId, token] of this.owners) {
      if (members.has(peerId) || (this.lastUsed.get(peerId) ?? 0) > cutoff) continue;
      this.owners.delete(peerId);
      this.lastUsed.delete(peerId);
      const peers = this.peersByToken.get(token);
      peers?.delete(peerId);
      if (peers?.size === 0) this.peersByToken.delete(token);
      this.sink.recordOwner(peerId, null);
      pruned++;
    }
    for (const [token, { at }] of this.issued) {
      if (at <= cutoff && !this.peersByToken.has(token)) this.issued.delete(token);
    }
    return pruned;
  }

  /** Sessions known: tokens handed out and not yet pruned, or owning peer ids (metrics). */
  get sessionCount(): number {
    let count = this.issued.size;
    for (const token of this.peersByToken.keys()) if (!this.issued.has(token)) count++;
    return count;
  }

  /** How many peer ids are owned (for tests and monitoring). */
  get size(): number {
    return this.owners.size;
  }

  peersOf(token: string): ReadonlySet<string> {
    return this.peersByToken.get(token) ?? new Set();
  }
}
