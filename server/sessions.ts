/**
 * Who may act as which peer. A session (identified by a secret token handed out in
 * `welcome`) owns every peer id it was first to use; a reconnecting client presents its
 * token in `hello` to get them back. Ownership is persisted with the parties, so a
 * restarted server still recognises its clients.
 */
import { ControlPlaneError } from '../shared/errors';
import { randomToken } from '../shared/ids';
import { ErrorCode } from '../shared/protocol';

/** ~160 random bits. */
const TOKEN_LENGTH = 32;

export interface OwnerSink {
  recordOwner(peerId: string, token: string): void;
}

export class SessionRegistry {
  private readonly owners: Map<string, string>;
  private readonly peersByToken = new Map<string, Set<string>>();
  private readonly issued = new Set<string>();

  constructor(
    owners: ReadonlyMap<string, string>,
    private readonly sink: OwnerSink,
  ) {
    this.owners = new Map(owners);
    for (const [peerId, token] of owners) this.index(peerId, token);
  }

  private index(peerId: string, token: string): void {
    let peers = this.peersByToken.get(token);
    if (!peers) this.peersByToken.set(token, (peers = new Set()));
    peers.add(peerId);
  }

  /** A new session token. */
  issue(): string {
    const token = randomToken(TOKEN_LENGTH);
    this.issued.add(token);
    return token;
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
      throw new ControlPlaneError(`Peer ${peerId} belongs to another connection`, {
        code: ErrorCode.FORBIDDEN,
        field: 'peer_id',
      });
    }
  }

  /** Makes `token` the owner of `peerId` if nobody is (call after authorize). */
  claim(token: string, peerId: string): void {
    if (this.owners.has(peerId)) return;
    this.owners.set(peerId, token);
    this.index(peerId, token);
    this.sink.recordOwner(peerId, token);
  }

  peersOf(token: string): ReadonlySet<string> {
    return this.peersByToken.get(token) ?? new Set();
  }
}
