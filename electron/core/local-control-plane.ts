/**
 * Local mode: parties shared through discovery.json by every LANrage instance on this
 * machine (separate processes included). Every change is a transition applied to the
 * file's current copy of the party under the file lock, so concurrent instances merge
 * rather than overwrite each other; each instance polls the file to see the others.
 */
import { ControlPlaneError } from '../../shared/errors';
import type { PartyInfo, PeerInfo } from '../../shared/model';
import type { NewPartySettings } from '../../shared/party-settings';
import * as transitions from '../../shared/party-transitions';
import type { Transition } from '../../shared/party-transitions';
import { MISSED_BEATS_OFFLINE, offlineAfter } from '../../shared/presence';
import { MAX_PEERS_PER_PARTY } from '../../shared/protocol';
import type { Config } from './config';
import { ControlPlane, partyNotFound, type ControlPlaneOptions } from './control-plane';
import { DiscoveryStore, type PartyMap } from './discovery-store';
import type { FileLockOptions } from './file-lock';
import { diffParty, sameParty } from './party-diff';

export interface LocalControlPlaneOptions extends ControlPlaneOptions {
  /** How often discovery.json is checked for other instances' changes (default 250 ms). */
  discoveryPollMs?: number;
  lock?: FileLockOptions;
}

type Operation = (current: PartyInfo | undefined) => Transition;

export class LocalControlPlane extends ControlPlane {
  readonly discovery: DiscoveryStore;
  private readonly pollMs: number;
  /** What discovery.json listed at the last look, to tell "Parties nearby" of changes. */
  private nearby = '';
  private readonly nearbyListeners = new Set<() => void>();
  private stopWatching: (() => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(config: Config, options: LocalControlPlaneOptions = {}) {
    super(config, options);
    this.discovery = new DiscoveryStore(config.discoveryFile, {
      clock: this.clock,
      logger: this.logger,
      lock: options.lock,
      report: options.report,
    });
    this.pollMs = options.discoveryPollMs ?? 250;
  }

  /** Loads state, drops parties no longer announced, then follows discovery.json. */
  override async initialize(): Promise<void> {
    await super.initialize();
    await this.serial(() => this.refresh());
    if (this.isClosed || this.stopWatching) return;
    this.stopWatching = this.discovery.watch(() => this.serial(() => this.refresh()), this.pollMs);
  }

  override registerParty(
    partyId: string,
    name: string,
    hostPeerInfo: PeerInfo,
    settings?: NewPartySettings,
  ): Promise<PartyInfo> {
    return this.mutate(
      partyId,
      (current) => {
        if (current || this.parties.has(partyId)) {
          throw new ControlPlaneError(`Party ${partyId} already exists`, { code: 'conflict' });
        }
        return transitions.createParty(partyId, name, hostPeerInfo, this.nowDate(), settings);
      },
      hostPeerInfo.peerId,
    ).then((t) => t.party!);
  }

  /** Joins a party any local instance announced, by changing discovery.json's copy. */
  override joinParty(partyId: string, peerInfo: PeerInfo): Promise<PartyInfo> {
    return this.mutate(
      partyId,
      (current) =>
        transitions.joinParty(this.required(partyId, current), peerInfo, this.nowDate(), {
          maxPeers: MAX_PEERS_PER_PARTY,
        }),
      peerInfo.peerId,
    ).then((t) => t.party!);
  }

  override async leaveParty(partyId: string, peerId: string): Promise<void> {
    await this.mutate(partyId, (current) =>
      current
        ? transitions.leaveParty(current, peerId, this.successors(current))
        : { party: null, events: [] },
    );
    if (peerId === this.myPeerId && partyId === this.myPartyId) this.myPartyId = null;
  }

  override async transferHost(partyId: string, toPeerId: string): Promise<void> {
    await this.mutate(partyId, (current) =>
      transitions.transferHost(this.required(partyId, current), this.myPeerId ?? '', toPeerId),
    );
  }

  override async closeParty(partyId: string): Promise<void> {
    await this.mutate(partyId, (current) =>
      transitions.closeParty(this.required(partyId, current), this.myPeerId ?? ''),
    );
  }

  override async updatePeer(partyId: string, peerInfo: PeerInfo): Promise<void> {
    await this.mutate(partyId, (current) =>
      transitions.updatePeer(this.required(partyId, current), peerInfo, this.nowDate()),
    );
  }

  override async heartbeat(partyId: string, peerId: string): Promise<void> {
    await this.mutate(partyId, (current) =>
      transitions.heartbeat(this.required(partyId, current), peerId, this.nowDate()),
    );
    if (peerId === this.myPeerId) this.setStatus({ lastHeartbeatAt: this.clock.now() });
  }

  /** Every party announced by any local instance. */
  override discoverParties(): Promise<PartyMap> {
    return this.discovery.read();
  }

  /** Writes a party to discovery.json as it is (the spec's `_announce_party`). */
  announceParty(party: PartyInfo): Promise<void> {
    return this.serial(async () => {
      await this.discovery.update((parties) => {
        parties.set(party.partyId, party);
        return true;
      });
    });
  }

  /** Waits for queued discovery work (polls, cleanups) as well as pending saves. */
  override async flush(): Promise<void> {
    await this.queue;
    await super.flush();
  }

  override async close(): Promise<void> {
    this.stopWatching?.();
    this.stopWatching = null;
    await this.queue;
    await super.close();
  }

  /** Sweeps discovery.json (parties of dead processes included), then our own copy. */
  protected override async cleanup(): Promise<void> {
    await this.serial(async () => {
      const now = this.nowDate();
      const swept = new Map<string, Transition>();
      const parties = await this.discovery.update((all) => {
        for (const [id, party] of [...all]) {
          const t = transitions.sweepParty(party, now, this.config.peerTimeoutMs);
          if (t.party === party) continue;
          swept.set(id, t);
          if (t.party) all.set(id, t.party);
          else all.delete(id);
        }
        return swept.size > 0;
      });
      for (const [id, t] of swept) if (this.parties.has(id)) this.commit(id, t);
      this.merge(parties);
    });
    await super.cleanup();
  }

  private required(partyId: string, current: PartyInfo | undefined): PartyInfo {
    if (!current) throw partyNotFound(partyId);
    return current;
  }

  /**
   * Applies `op` to discovery.json's copy of the party under the file lock, writes the
   * result, and commits it here. A party gone from the file is dropped here too.
   */
  private mutate(partyId: string, op: Operation, joinedAs?: string): Promise<Transition> {
    return this.serial(async () => {
      let gone = false;
      let result: Transition | null = null;
      try {
        await this.discovery.update((parties) => {
          const current = parties.get(partyId);
          gone = current === undefined;
          result = op(current);
          if (result.party) parties.set(partyId, result.party);
          else parties.delete(partyId);
          return result.party !== (current ?? null);
        });
      } finally {
        if (gone && this.parties.has(partyId) && result === null) {
          this.commit(partyId, {
            party: null,
            events: diffParty(this.parties.get(partyId)!, null),
          });
        }
      }
      const t: Transition = result!;
      this.commit(partyId, t, joinedAs === undefined ? {} : { joinedAs });
      return t;
    });
  }

  private async refresh(): Promise<void> {
    if (this.isClosed) return;
    this.merge(await this.discovery.read());
  }

  watchNearby(listener: () => void): () => void {
    this.nearbyListeners.add(listener);
    return () => this.nearbyListeners.delete(listener);
  }

  /** Brings our copies of the parties we know in line with discovery.json. */
  private merge(discovered: PartyMap): void {
    const nearby = [...discovered.values()]
      .map((p) => `${p.partyId} ${p.hostId} ${p.peers.size} ${p.name}`)
      .join('\n');
    if (nearby !== this.nearby) {
      this.nearby = nearby;
      for (const listener of [...this.nearbyListeners]) listener();
    }
    for (const [id, local] of [...this.parties]) {
      const remote = discovered.get(id) ?? null;
      if (!remote || !sameParty(local, remote)) {
        this.commit(id, { party: remote, events: diffParty(local, remote) });
      }
      if (remote) this.followPresence(remote);
    }
  }

  /**
   * Who is online follows from last seen; a host offline for two intervals past going
   * offline hands the party over (when it chose hand-over), written like any other change.
   */
  private followPresence(party: PartyInfo): void {
    const events = this.derivedPresenceEvents(party);
    if (events.length > 0) this.commit(party.partyId, { party, events });
    const host = party.peers.get(party.hostId);
    if (!party.settings.hostMigration || !host || this.myPartyId !== party.partyId) return;
    const intervalMs = this.status().heartbeatIntervalMs;
    const offlineAt = offlineAfter(host.lastSeen.getTime(), intervalMs);
    if (this.clock.now() - offlineAt < MISSED_BEATS_OFFLINE * intervalMs) return;
    // Not awaited: this runs inside the serial queue the mutation joins.
    this.mutate(party.partyId, (current) =>
      current && current.hostId === party.hostId
        ? transitions.migrateOfflineHost(current, this.successors(current))
        : { party: current ?? null, events: [] },
    ).catch((error: unknown) => this.logger.warn(`Host hand-over failed: ${String(error)}`));
  }

  /** Runs tasks one at a time, so a poll never overtakes (and undoes) our own write. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
