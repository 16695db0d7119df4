/**
 * Whether this app, serving parties on the LAN, is cut off from it. A guest learns its own
 * network is gone when it dials its host again (hosting-plane.ts, hadNoNetwork); the host
 * dials no one, and its own server kept calling its guests online, "last seen now", with a
 * green status bar, for the two heartbeats (a minute) it waits before calling them offline.
 * Checked every few seconds while the server listens on the LAN: no IPv4 address beyond
 * loopback here (the OS lists no interface that is down), or every other online member's link
 * silent past the liveness deadline (each guest pings a quiet link well within it).
 */
import { networkInterfaces } from 'node:os';
import type { Clock, TimerHandle } from '../../../shared/time/clock';
import type { ConnectionStatus } from '../../../shared/status';

export type LanCutOff = NonNullable<ConnectionStatus['lanCutOff']>;

/** How often it is checked: an outage is said within this, after the deadline for silence. */
export const CUT_OFF_CHECK_MS = 2000;

/** Whether this PC has a network to serve the LAN on: an IPv4 address beyond loopback. */
export function hasLanAddress(interfaces = networkInterfaces()): boolean {
  return Object.values(interfaces).some((addresses) =>
    (addresses ?? []).some((a) => a.family === 'IPv4' && !a.internal),
  );
}

export interface CutOffInputs {
  hasNetwork: boolean;
  /** EmbeddedServer.othersHeardAt: null, nobody else online. */
  othersHeardAt: number | null;
  now: number;
  /** The guests' liveness deadline: a link silent this long has been lost. */
  deadMs: number;
}

/** The cut-off the status says, or undefined when the LAN is reachable as far as it can tell. */
export function lanCutOff(input: CutOffInputs): LanCutOff | undefined {
  const heard = input.othersHeardAt;
  const heardAt = heard === null || heard === Number.NEGATIVE_INFINITY ? null : heard;
  if (!input.hasNetwork) return { reason: 'no_network', heardAt };
  if (heard !== null && input.now - heard >= input.deadMs) return { reason: 'silent', heardAt };
  return undefined;
}

/** Whether two cut-offs say the same (a new object every check must not re-send the status). */
export function sameCutOff(a: LanCutOff | undefined, b: LanCutOff | undefined): boolean {
  return a?.reason === b?.reason && a?.heardAt === b?.heardAt;
}

/** What the watch reads of the server it watches. */
export interface WatchedServer {
  readonly onLan: boolean;
  othersHeardAt(me: string | null): number | null;
}

export interface CutOffWatchOptions {
  clock: Clock;
  deadMs: number;
  /** This app's peer id: its own link to its server is no guest's. */
  me: () => string | null;
  /** Told each change (undefined: no longer cut off). */
  onChange: (cutOff: LanCutOff | undefined) => void;
  hasNetwork?: () => boolean;
  /** Told at each check: what else follows this PC's network (the addresses links name). */
  onCheck?: () => void;
}

/** Checks the server this app hosts on, while it listens on the LAN. */
export class CutOffWatch {
  private timer: TimerHandle | null = null;
  private current: LanCutOff | undefined;

  constructor(private readonly options: CutOffWatchOptions) {}

  /** Watches `server` from now on (null, or one on loopback: nothing to watch). */
  watch(server: WatchedServer | null): void {
    this.stop();
    if (!server?.onLan) return;
    const { clock } = this.options;
    this.timer = clock.setInterval(() => this.check(server), CUT_OFF_CHECK_MS);
    this.check(server);
  }

  stop(): void {
    if (this.timer !== null) this.options.clock.clearInterval(this.timer);
    this.timer = null;
    this.set(undefined);
  }

  private check(server: WatchedServer): void {
    const { clock, deadMs, me, hasNetwork = hasLanAddress } = this.options;
    const inputs = { hasNetwork: hasNetwork(), now: clock.now(), deadMs };
    this.set(lanCutOff({ ...inputs, othersHeardAt: server.othersHeardAt(me()) }));
    this.options.onCheck?.();
  }

  private set(cutOff: LanCutOff | undefined): void {
    if (sameCutOff(cutOff, this.current)) return;
    this.current = cutOff;
    this.options.onChange(cutOff);
  }
}
