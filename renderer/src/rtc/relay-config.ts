/**
 * The party server's TURN relays for voice and screen sharing (shared/protocol/relay.ts), kept
 * fresh: asked for when the party opens, again before the credentials run out, after a failure, and
 * when the app is linked to the server again (use-relay.tsx).
 * Each new WebRTC link takes the configuration as it stands (`rtc()`); links that are up keep
 * theirs, which the relay honours until the allocation ends.
 */
import type { RelayGrant } from '../../../shared/protocol/relay';

/** Asked again once this share of the credentials' life has passed. */
const REFRESH_AT = 0.8;
/** Never sooner than this after a success, whatever ttl a server says. */
const MIN_REFRESH_MS = 30_000;
/** After a failure (no link to the server, a refusal), asked again in this long. */
export const RETRY_MS = 10_000;

/**
 * `unknown` until the server answered once; `none`: it has no relay; `refused`: every relay it
 * named was too near this PC to be taken (relay-scope.ts).
 */
export type RelayState = 'unknown' | 'none' | 'refused' | 'ready';

export interface RelayConfigDeps {
  fetch(): Promise<RelayGrant>;
  later(ms: number, fn: () => void): () => void;
  /** The user's "hide my address" setting, read as each link is made. */
  relayOnly(): boolean;
  /** The relay's state changed (the panel says when a hidden address cannot call). */
  onState(state: RelayState): void;
}

export class RelayConfig {
  private grant: RelayGrant | null = null;
  private cancel: (() => void) | null = null;
  private asking = false;
  private stopped = false;

  constructor(private readonly deps: RelayConfigDeps) {}

  start(): void {
    void this.refresh();
  }

  /**
   * Asks now rather than when the timer says: linked to the server again, which may have
   * restarted with a relay (or new credentials) while this page still holds its old answer.
   */
  askNow(): void {
    if (this.stopped || this.asking) return;
    this.cancel?.();
    void this.refresh();
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = null;
  }

  get state(): RelayState {
    if (this.grant === null) return 'unknown';
    if (this.grant.ice_servers.length > 0) return 'ready';
    return this.grant.ignored ? 'refused' : 'none';
  }

  /**
   * For a new link: the relays, and with "hide my address" only relayed paths, so the other
   * side never gets an address of mine (no relay yet: no path at all, and the link fails).
   */
  rtc(): RTCConfiguration {
    const iceServers = (this.grant?.ice_servers ?? []).map(({ urls, username, credential }) => ({
      urls: [...urls],
      username,
      credential,
    }));
    return { iceServers, iceTransportPolicy: this.deps.relayOnly() ? 'relay' : 'all' };
  }

  private async refresh(): Promise<void> {
    this.cancel = null;
    this.asking = true;
    let next = RETRY_MS;
    try {
      const grant = await this.deps.fetch();
      if (this.stopped) return;
      const before = this.state;
      this.grant = grant;
      if (this.state !== before) this.deps.onState(this.state);
      next = Math.max(MIN_REFRESH_MS, grant.ttl * 1000 * REFRESH_AT);
    } catch {
      // Not linked to the server right now, or refused: what we had stays until it answers.
    } finally {
      this.asking = false;
    }
    if (!this.stopped) this.cancel = this.deps.later(next, () => void this.refresh());
  }
}
