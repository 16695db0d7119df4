/**
 * The party engine the core bench drives: the server core as local mode runs it (the app's
 * embedded server, electron/core/hosting/embedded/embedded-server.ts: its PartyService over
 * the JSON file store, group commit, heartbeats as soft state), with a movable clock. Each
 * operation makes the calls the server's handler for that message makes, without the socket
 * and the access checks in front (bench:server measures those).
 */
import { join } from 'node:path';
import { systemClock, type Clock } from '../../shared/time/clock';
import { silentLogger } from '../../shared/logger';
import type { PartyInfo, PeerInfo } from '../../shared/model';
import * as transitions from '../../shared/party/transitions';
import { MAX_PEERS_PER_PARTY } from '../../shared/party/settings';
import { EmbeddedBackend, startServerCore, type RunningServer } from '../../server/server-core';
import { NO_QUOTAS } from '../../server/admission/quotas';
import { FilePartyStore } from '../../electron/core/hosting/embedded/file-party-store';
import { atomicWrite } from '../../electron/core/state/atomic-write';

/** A clock that can jump forward, so peers go stale without waiting five minutes. */
export class ShiftedClock implements Clock {
  offset = 0;
  now = (): number => Date.now() + this.offset;
  setTimeout = systemClock.setTimeout;
  clearTimeout = systemClock.clearTimeout;
  setInterval = systemClock.setInterval;
  clearInterval = systemClock.clearInterval;
}

export const PEER_TIMEOUT_MS = 300_000;

export class BenchEngine {
  private constructor(
    private readonly running: RunningServer,
    private readonly store: FilePartyStore,
    private readonly clock: Clock,
    private readonly writes: { count: number },
  ) {}

  /** The embedded server's core on 127.0.0.1 (any free port), its file in `home`. */
  static async start(home: string, clock: Clock): Promise<BenchEngine> {
    const writes = { count: 0 };
    const writeFile: typeof atomicWrite = async (...args) => {
      await atomicWrite(...args);
      writes.count += 1;
    };
    const path = join(home, 'local_server.json');
    const store = new FilePartyStore(path, { logger: silentLogger, writeFile });
    const running = await startServerCore(
      {
        host: '127.0.0.1',
        port: 0,
        clock,
        heartbeatIntervalS: 30,
        peerTimeoutMs: PEER_TIMEOUT_MS,
        // The bench sweeps when it measures the sweep, not on a timer.
        sweepIntervalMs: 3_600_000,
        loadedPresence: 'as-stored',
        // One process plays every member: the per-address quotas would refuse it.
        quotas: NO_QUOTAS,
      },
      { backend: new EmbeddedBackend(store), logger: silentLogger },
    );
    return new BenchEngine(running, store, clock, writes);
  }

  private get service() {
    return this.running.context.service;
  }

  get parties(): ReadonlyMap<string, PartyInfo> {
    return this.service.parties;
  }

  /** Completed writes of the store's file. */
  get saveCount(): number {
    return this.writes.count;
  }

  get stateFile(): string {
    return this.store.path;
  }

  private now(): Date {
    return new Date(this.clock.now());
  }

  registerParty(partyId: string, name: string, host: PeerInfo): void {
    const t = transitions.createParty(partyId, name, host, this.now());
    this.service.apply(partyId, t, new Set([host.peerId]));
  }

  joinParty(partyId: string, peer: PeerInfo): void {
    const party = this.service.require(partyId);
    const t = transitions.joinParty(party, peer, this.now(), { maxPeers: MAX_PEERS_PER_PARTY });
    this.service.apply(partyId, t, new Set([peer.peerId]));
  }

  heartbeat(partyId: string, peerId: string): void {
    this.service.touch(partyId, peerId, this.clock.now());
  }

  updatePeer(partyId: string, peer: PeerInfo): void {
    const t = transitions.updatePeer(this.service.require(partyId), peer, this.now());
    this.service.apply(partyId, t, new Set([peer.peerId]));
  }

  leaveParty(partyId: string, peerId: string): void {
    const party = this.service.require(partyId);
    const t = transitions.leaveParty(party, peerId, this.service.lazySuccessors(partyId));
    this.service.apply(partyId, t, new Set([peerId]));
  }

  /** The stale-peer sweep the server's timer runs. */
  sweepNow(): void {
    this.service.sweep(this.now(), PEER_TIMEOUT_MS);
  }

  /** Waits until every change so far is on disk. */
  async flush(): Promise<void> {
    await this.service.settled();
  }

  async close(): Promise<void> {
    await this.running.close();
  }
}
