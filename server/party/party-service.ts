/**
 * The server's party state: the parties in memory, every change recorded for the group
 * commit and fanned out to the other members when they may hear of it (at once on a store
 * of the server's own, GroupCommitter.whenTellable). Party semantics come
 * only from shared/party/transitions; who is online lives in the presence table beside
 * the parties, so a heartbeat touches one entry and never copies a party.
 */
import { ControlPlaneError } from '../../shared/protocol/errors';
import type { PartyInfo } from '../../shared/model';
import { migrateOfflineHost, sweepParties, type Successors } from '../../shared/party/transitions';
import type { Transition } from '../../shared/party/events';
import { healthPeriodMs } from '../../shared/presence';
import { ASLEEP_SINCE, ErrorCode, type ServerMessageInput } from '../../shared/protocol/protocol';
import { deliveriesFor, messageFor, type Delivery } from './fanout';
import type { GroupCommitter } from '../store/group-commit';
import type { Logger } from '../../shared/logger';
import { noMetrics, type ServerMetrics } from '../metrics/metrics-api';
import type { Presence } from '../presence/presence';
import { olderStatus, type PresenceChange, type PresenceTracker } from '../presence/presence-table';
import { partySnapshot, type PartySnapshot } from './snapshots';
import { PartyVersions } from './party-versions';
import { trackPresence } from './track-presence';
import { counted } from '../../shared/counted';

/** A per-party message with its event number. */
function numbered(message: ServerMessageInput, seq: number): ServerMessageInput {
  return { ...message, seq } as ServerMessageInput;
}

/** A `peer_status` `asleep` is `offline` to connections before 1.12 (under the same number). */
function older(message: ServerMessageInput): Pick<Delivery, 'legacy'> {
  if (message.type !== 'peer_status' || message.status === olderStatus(message.status)) return {};
  return {
    legacy: { message: { ...message, status: olderStatus(message.status) }, since: ASLEEP_SINCE },
  };
}

/**
 * A presence change as other servers sharing the store hear it: `asleep` said `offline`, as in
 * what they fan out for us. One older than 1.12 refuses a replication batch holding `asleep`.
 */
function forOtherServers(change: PresenceChange): PresenceChange {
  const status = olderStatus(change.presence.status);
  return status === change.presence.status
    ? change
    : { ...change, presence: { ...change.presence, status } };
}

/**
 * How loaded members start. `fresh`: online with a new grace period, since the server was
 * not listening while down and its clients reconnect. `as-stored` (the app's embedded
 * server): only the host so; the others offline since their last beat, as they are: its
 * guests gave the party up a few seconds after it went away, and showing them as just seen
 * ("last seen 5 s ago" for guests gone 20 s) told the host they were still there.
 */
export type LoadedPresence = 'fresh' | 'as-stored';

export class PartyService {
  readonly parties: Map<string, PartyInfo>;
  /** Each party's last event number told (protocol/protocol.ts SeqSchema) and its version. */
  readonly versions: PartyVersions;
  /** Told when a party is gone (closed, emptied, swept): its access state goes with it. */
  onPartyGone: (partyId: string) => void = () => undefined;
  /** Told when someone's presence changed (the app's LAN advertisement counts who is online). */
  onPresence: () => void = () => undefined;

  constructor(
    parties: ReadonlyMap<string, PartyInfo>,
    private readonly committer: GroupCommitter,
    private readonly routes: Presence,
    readonly presence: PresenceTracker,
    private readonly logger: Logger,
    now: number,
    private readonly metrics: ServerMetrics = noMetrics,
    seqs: ReadonlyMap<string, number> = new Map(),
    versions: ReadonlyMap<string, string> = new Map(),
    loaded: LoadedPresence = 'fresh',
  ) {
    this.parties = new Map(parties);
    this.versions = new PartyVersions(seqs, versions, committer.replicates);
    for (const [partyId, party] of this.parties) {
      for (const peer of party.peers.values()) {
        if (loaded === 'fresh' || peer.peerId === party.hostId) {
          presence.join(partyId, peer.peerId, now);
        } else presence.restore(partyId, peer.peerId, peer.lastSeen.getTime(), now);
      }
    }
  }

  /** @throws ControlPlaneError `not_found` with the spec's message. */
  require(partyId: string): PartyInfo {
    const party = this.parties.get(partyId);
    if (!party) throw new ControlPlaneError('Party not found', { code: ErrorCode.NOT_FOUND });
    return party;
  }

  /** The number of the party's last event (0: none yet). */
  seqOf(partyId: string): number {
    return this.versions.seqOf(partyId);
  }

  /**
   * Stores the transition's result and queues its fan-out behind the commit. Returns the
   * number of the event an actor still in the party was left out of (its own join or
   * update: its answer says so, so it does not take the number for a gap).
   */
  apply(partyId: string, transition: Transition, actors: ReadonlySet<string>): number | undefined {
    const before = this.parties.get(partyId) ?? null;
    if (transition.party === before) return undefined;
    if (transition.party) this.parties.set(partyId, transition.party);
    else this.parties.delete(partyId);
    trackPresence(this.presence, transition.events);
    this.committer.recordParty(partyId, before, transition.party);
    const deliveries = this.number(
      partyId,
      deliveriesFor(before, transition.party, transition.events, actors, (p) => this.snapshot(p)),
    );
    const seq = this.seqOf(partyId);
    if (!transition.party) {
      this.versions.delete(partyId);
      if (before) this.onPartyGone(partyId);
    }
    this.deliver(deliveries);
    const stayed = [...actors].filter((id) => transition.party?.peers.has(id));
    if (deliveries.length === 0) return stayed.length > 0 ? seq : undefined;
    // An event said to some members one way and to others another (a ban) is one number.
    const told = (id: string, seq: number) =>
      deliveries.some((d) => d.seq === seq && d.recipients.includes(id));
    const missed = deliveries.filter((d) => stayed.some((id) => !told(id, d.seq)));
    return missed.at(-1)?.seq;
  }

  /**
   * Gives each delivery the party's next event number, durable with the change. A change
   * nobody else is told of moves the number too: it is also the party's version, which a
   * store shared by several servers checks.
   */
  private number(partyId: string, deliveries: Delivery[]): Array<Delivery & { seq: number }> {
    const base = this.seqOf(partyId);
    let seq = base;
    const out = deliveries.map((d) => {
      if (d.sameSeq !== true) seq += 1;
      const legacy = d.legacy && { ...d.legacy, message: numbered(d.legacy.message, seq) };
      return { recipients: d.recipients, message: numbered(d.message, seq), legacy, seq };
    });
    if (out.length === 0) seq += 1;
    this.committer.recordSeq(partyId, this.versions.advance(partyId, seq));
    return out;
  }

  /** Settles when every change made so far is written (GroupCommitter.settled). */
  settled(): Promise<boolean> {
    return this.committer.settled();
  }

  /** Access rows (`kind key`) changed here and not yet written. */
  unwrittenAccess(): Set<string> {
    return this.committer.unwrittenAccess();
  }

  /** Collects the access rows changed here from now until `stop` (GroupCommitter). */
  watchAccess(): { keys: ReadonlySet<string>; stop: () => void } {
    return this.committer.watchAccess();
  }

  /**
   * The party as members see it: last seen from the presence table, and everyone's presence.
   * Sent only to connections too old for an event (`legacy`), so with `asleep` said `offline`.
   */
  snapshot(party: PartyInfo): ServerMessageInput {
    const dict = party.toStoredDict();
    for (const [peerId, peer] of Object.entries(dict.peers)) {
      const lastSeen = this.presence.lastSeen(party.partyId, peerId);
      if (lastSeen !== undefined) peer.last_seen = new Date(lastSeen).toISOString();
    }
    const presence = this.presence.olderPresenceOf(party.partyId);
    return { type: 'party_update', party: dict, presence };
  }

  /** A direct answer with the party (cached per version) and its members' presence. */
  answer(party: PartyInfo, now: number): PartySnapshot {
    return partySnapshot(
      party,
      this.presence.presenceJson(party.partyId, now),
      this.seqOf(party.partyId),
      this.presence.olderPresenceJson(party.partyId, now),
    );
  }

  /** @throws ControlPlaneError `not_found` when the party is not here or the peer not in it. */
  private requireMember(partyId: string, peerId: string): void {
    if (this.require(partyId).peers.has(peerId)) return;
    throw new ControlPlaneError(`Peer ${peerId} is not in party ${partyId}`, {
      code: ErrorCode.NOT_FOUND,
    });
  }

  /** The online members, longest present first. */
  successors(partyId: string): string[] {
    return this.presence.successors(partyId);
  }

  /** successors(), worked out only if a transition asks (a host leaving with hand-over). */
  lazySuccessors(partyId: string): Successors {
    return { [Symbol.iterator]: () => this.successors(partyId)[Symbol.iterator]() };
  }

  /**
   * A heartbeat: O(1), no party copied. The store gets last seen within a few seconds (soft
   * state, see group-commit.ts); the others hear only of a change of status or round trip.
   * Returns the number of the status change it made, which the others are told and the
   * peer itself only in its ack.
   * @throws ControlPlaneError `not_found` when the peer is not a member.
   */
  touch(partyId: string, peerId: string, atMs: number, rttMs?: number): number | undefined {
    this.requireMember(partyId, peerId);
    const change = this.presence.beat(partyId, peerId, atMs, rttMs);
    this.committer.recordTouch(partyId, peerId, atMs);
    return change ? this.publish([change]) : undefined;
  }

  /**
   * The member said its PC is going to sleep (1.12): asleep for the others until it beats
   * again. Returns the number of the change, as touch does; none when it was asleep already.
   * @throws ControlPlaneError `not_found` when the peer is not a member.
   */
  asleep(partyId: string, peerId: string, atMs: number): number | undefined {
    this.requireMember(partyId, peerId);
    const change = this.presence.asleep(partyId, peerId, atMs);
    return change ? this.publish([change]) : undefined;
  }

  /**
   * Tells these members' presence again, as it is now: a shared store refused the batch that
   * told it, so nobody heard (a member back online would stay offline for the others).
   */
  retell(changes: readonly PresenceChange[], now: number): void {
    const members = new Map(changes.map((c) => [`${c.partyId}\u0000${c.peerId}`, c]));
    const again = [...members.values()].flatMap(
      ({ partyId, peerId }) => this.presence.retell(partyId, peerId, now) ?? [],
    );
    // Not an answer to the member's own heartbeat: it hears the number too.
    this.publish(again, true);
  }

  /** These members' connection closed without a leave. */
  disconnected(peerIds: Iterable<string>, now: number): void {
    this.publish(this.presence.disconnected(peerIds, now));
  }

  /** These members' session is back on a new connection. */
  resumed(peerIds: Iterable<string>, now: number): void {
    this.publish(this.presence.resumed(peerIds, now));
  }

  /**
   * Marks members without a beat for two intervals offline, then hands each party whose host
   * has been offline for two more intervals to its longest-present online member (when the
   * host chose hand-over).
   */
  presenceTick(now: number, intervalMs: number): void {
    this.publish(this.presence.scan(now));
    for (const [partyId, party] of this.parties) {
      if (!party.settings.hostMigration) continue;
      const since = this.presence.offlineSince(partyId, party.hostId);
      if (since === null || now - since < healthPeriodMs(intervalMs)) continue;
      this.apply(partyId, migrateOfflineHost(party, this.successors(partyId)), new Set());
    }
  }

  /**
   * Whether the peer is a member of some party: its parties looked up by peer (the presence
   * table's index), checked against the parties themselves; no scan of every party.
   */
  isMember(peerId: string): boolean {
    for (const partyId of this.presence.partiesOf(peerId)) {
      if (this.parties.get(partyId)?.peers.has(peerId)) return true;
    }
    return false;
  }

  /** Every peer id that is a member of some party. */
  memberIds(): Set<string> {
    const ids = new Set<string>();
    for (const party of this.parties.values()) for (const id of party.peers.keys()) ids.add(id);
    return ids;
  }

  /** Tells the other members; returns the last change's event number, if it was told. */
  /** `tellSelf`: the member the change is about hears it too (else its ack says the number). */
  private publish(changes: readonly PresenceChange[], tellSelf = false): number | undefined {
    const deliveries: Delivery[] = [];
    let last: number | undefined;
    for (const { partyId, peerId, presence } of changes) {
      const party = this.parties.get(partyId);
      last = undefined;
      if (!party) continue;
      const recipients = [...party.peers.keys()].filter((id) => tellSelf || id !== peerId);
      const message = messageFor({ type: 'peer_status', partyId, peerId, presence });
      if (!message || recipients.length === 0) continue;
      for (const told of this.number(partyId, [{ recipients, message, ...older(message) }])) {
        deliveries.push(told);
        last = told.seq;
      }
    }
    this.committer.recordPresence(changes.map(forOtherServers));
    this.deliver(deliveries);
    if (changes.length > 0) this.onPresence();
    return last;
  }

  /** Sends each delivery when the members may hear of it (GroupCommitter.whenTellable). */
  private deliver(deliveries: Delivery[]): void {
    if (deliveries.length === 0) return;
    const changedAt = performance.now();
    const frames = deliveries.map((d) => JSON.stringify(d.message));
    const legacy = deliveries.map(
      (d) => d.legacy && { frame: JSON.stringify(d.legacy.message), since: d.legacy.since },
    );
    // Other servers sharing the store send them to their own connections: the form every
    // version understands, as they do not replicate which version each connection declared.
    deliveries.forEach((d, i) =>
      this.committer.recordFanout(d.recipients, legacy[i]?.frame ?? frames[i]!),
    );
    this.committer.whenTellable(() => {
      deliveries.forEach((d, i) => this.routes.sendToPeers(d.recipients, frames[i]!, legacy[i]));
      this.metrics.fannedOut((performance.now() - changedAt) / 1000);
    });
  }

  /**
   * Removes peers silent longer than `timeoutMs`; returns how many parties changed. Each
   * removed member is told too (if it is still connected, only silent), as the other members
   * are, and `timedOut` hears of it (the server keeps a notice for its session).
   */
  sweep(
    now: Date,
    timeoutMs: number,
    timedOut?: (partyId: string, peerId: string) => void,
  ): number {
    const { changed, events } = sweepParties(this.parties, now, timeoutMs, {
      lastSeenOf: (party, peer) =>
        this.presence.lastSeen(party.partyId, peer.peerId) ?? peer.lastSeen.getTime(),
      successors: (party) => this.successors(party.partyId),
    });
    for (const [partyId, transition] of changed) this.apply(partyId, transition, new Set());
    const removed = events.filter((e) => e.type === 'peer_left');
    this.deliver(removed.map((e) => ({ recipients: [e.peerId], message: messageFor(e)! })));
    for (const e of removed) timedOut?.(e.partyId, e.peerId);
    if (changed.size > 0)
      this.logger.info(`Stale sweep changed ${counted(changed.size, 'party', 'parties')}`);
    return changed.size;
  }
}
