/**
 * The "Parties nearby" list the app service shows: polled while discovery can find
 * anything (local mode, or offline on the local fallback), pushed to the UI only when it
 * changed.
 */
import type { DiscoveredParty, StateEvent } from '../../shared/ipc';
import { discoveredList } from './app-service-views';
import type { IpcLogger } from './ipc-registry';
import type { Clock, TimerHandle } from './scheduler';
import type { ControlPlaneApi } from './types';

export interface DiscoveryFeedDeps {
  clock: Clock;
  pollMs: number;
  log: IpcLogger;
  emit: (event: StateEvent) => void;
  /** The current control plane (it is replaced when the settings change). */
  control: () => ControlPlaneApi;
  /** My party, which is never offered to me. */
  myPartyId: () => string | null;
}

export class DiscoveryFeed {
  list: DiscoveredParty[] = [];
  private timer: TimerHandle | null = null;

  constructor(private readonly deps: DiscoveryFeedDeps) {}

  start(): void {
    this.timer = this.deps.clock.setInterval(() => this.poll(), this.deps.pollMs);
  }

  stop(): void {
    if (this.timer) this.deps.clock.clearInterval(this.timer);
    this.timer = null;
  }

  async refresh(): Promise<DiscoveredParty[]> {
    const parties = await this.deps.control().discoverParties();
    const list = discoveredList(parties, this.deps.myPartyId());
    if (JSON.stringify(list) !== JSON.stringify(this.list)) {
      this.list = list;
      this.deps.emit({ type: 'discovered', parties: list });
    }
    return list;
  }

  private poll(): void {
    const state = this.deps.control().status().state;
    if (this.timer === null || (state !== 'local' && state !== 'offline')) return;
    this.refresh().catch((err: unknown) => this.deps.log('Discovery failed', err));
  }
}
