/**
 * The server's party state: the parties in memory, every change recorded for the group
 * commit and fanned out to the other members once it is durable. Party semantics come
 * only from shared/party-transitions.
 */
import { ControlPlaneError } from '../shared/errors';
import type { PartyInfo } from '../shared/model';
import { heartbeat, sweepParties, type Transition } from '../shared/party-transitions';
import { ErrorCode } from '../shared/protocol';
import { deliveriesFor, type Delivery } from './fanout';
import type { GroupCommitter } from './group-commit';
import type { Logger } from '../shared/logger';
import { noMetrics, type ServerMetrics } from './metrics';
import type { Presence } from './presence';

export class PartyService {
  readonly parties: Map<string, PartyInfo>;

  constructor(
    parties: ReadonlyMap<string, PartyInfo>,
    private readonly committer: GroupCommitter,
    private readonly presence: Presence,
    private readonly logger: Logger,
    private readonly metrics: ServerMetrics = noMetrics,
  ) {
    this.parties = new Map(parties);
  }

  /** @throws ControlPlaneError `not_found` with the spec's message. */
  require(partyId: string): PartyInfo {
    const party = this.parties.get(partyId);
    if (!party) throw new ControlPlaneError('Party not found', { code: ErrorCode.NOT_FOUND });
    return party;
  }

  /** Stores the transition's result and queues its fan-out behind the commit. */
  apply(partyId: string, transition: Transition, actors: ReadonlySet<string>): void {
    const before = this.parties.get(partyId) ?? null;
    if (transition.party === before) return;
    if (transition.party) this.parties.set(partyId, transition.party);
    else this.parties.delete(partyId);
    this.committer.recordParty(partyId, before, transition.party);
    this.deliverAfterCommit(deliveriesFor(before, transition.party, transition.events, actors));
  }

  /**
   * A heartbeat: refreshes the peer's last seen in memory at once; the store gets it within
   * a few seconds (soft state, see group-commit.ts). Nobody else is told.
   * @throws ControlPlaneError `not_found` when the peer is not a member.
   */
  touch(partyId: string, peerId: string, at: Date): void {
    const transition = heartbeat(this.require(partyId), peerId, at);
    if (transition.party) this.parties.set(partyId, transition.party);
    this.committer.recordTouch(partyId, peerId, at);
  }

  /** Every peer id that is a member of some party. */
  memberIds(): Set<string> {
    const ids = new Set<string>();
    for (const party of this.parties.values()) for (const id of party.peers.keys()) ids.add(id);
    return ids;
  }

  private deliverAfterCommit(deliveries: Delivery[]): void {
    if (deliveries.length === 0) return;
    const changedAt = performance.now();
    this.committer.afterCommit({
      onCommit: () => {
        for (const d of deliveries)
          this.presence.sendToPeers(d.recipients, JSON.stringify(d.message));
        this.metrics.fannedOut((performance.now() - changedAt) / 1000);
      },
    });
  }

  /** Removes peers silent longer than `timeoutMs`; returns how many parties changed. */
  sweep(now: Date, timeoutMs: number): number {
    const { changed, events } = sweepParties(this.parties, now, timeoutMs);
    for (const [partyId, party] of changed) {
      const partyEvents = events.filter((e) =>
        e.type === 'party_created' ? e.party.partyId === partyId : e.partyId === partyId,
      );
      this.apply(partyId, { party, events: partyEvents }, new Set());
    }
    if (changed.size > 0) this.logger.info(`Stale sweep changed ${changed.size} parties`);
    return changed.size;
  }
}

/**
 * Last seen is persisted lazily, so after a restart the stored value may be a few seconds
 * old, and the server was not listening while it was down: every loaded peer gets a fresh
 * grace period from `now` instead of being judged by a stale timestamp.
 */
export function refreshLastSeen(
  parties: ReadonlyMap<string, PartyInfo>,
  now: Date,
): Map<string, PartyInfo> {
  const out = new Map<string, PartyInfo>();
  for (const [id, party] of parties) {
    const peers = new Map(
      [...party.peers].map(([peerId, peer]) => [
        peerId,
        peer.lastSeen < now ? peer.with({ lastSeen: now }) : peer,
      ]),
    );
    out.set(id, party.with({ peers }));
  }
  return out;
}
