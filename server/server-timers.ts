/**
 * The control server's periodic work: the keepalive ping, the presence check and the stale
 * sweep (with what it leaves behind: ownerships, notices, quotas, throttles, invites). With
 * several servers on one backend, only the leader checks presence and sweeps.
 */
import type { WebSocket } from 'ws';
import type { Logger } from '../shared/logger';
import { startApprovalTimer, type AccessOptions } from './access/wiring';
import type { Keepalive } from './connection/keepalive';
import type { ServerContext } from './connection/handlers';
import type { LeaderLock } from './state/leader-lock';
import { StallWatch } from '../shared/time/stall-watch';
import { CLEANUP_INTERVAL } from '../shared/time/intervals';

export interface TimerOptions extends AccessOptions {
  /** Defaults to CLEANUP_INTERVAL's (shared/time/intervals.ts: the spec's 60 s). */
  sweepIntervalMs?: number;
  /** Defaults to PEER_TIMEOUT's (shared/time/intervals.ts: the spec's 5 minutes). */
  peerTimeoutMs?: number;
  /** How often each connection is pinged (default 30 s; see keepalive.ts). */
  pingIntervalMs?: number;
}

/** What the timers work on. */
export interface TimerWiring {
  context: ServerContext;
  /** Pings the connections; told of each one opened (server-core.ts). */
  keepalive: Keepalive<WebSocket>;
  logger: Logger;
  /** Whether this server runs the sweeps now (one of several sharing a backend may). */
  leader: LeaderLock;
}

/** The stale sweep, then ownerships left with no party member behind them. */
function sweep(context: ServerContext, peerTimeoutMs: number, logger: Logger): void {
  const now = context.clock.now();
  // Ownership is looked up before the prune below forgets it.
  context.service.sweep(new Date(now), peerTimeoutMs, (partyId, peerId) => {
    const token = context.sessions.ownerOf(peerId);
    if (token !== undefined) context.access.notices.record(token, { partyId, peerId, at: now });
  });
  context.access.notices.prune(now);
  const pruned = context.sessions.prune(context.service.memberIds(), peerTimeoutMs);
  if (pruned > 0) logger.info(`Pruned ${pruned} unused peer ownerships`);
  context.quotas.prune(context.service.parties);
  context.access.guesses.prune();
  context.access.invites.expire();
  context.updates.prune();
}

/** Presence is checked four times per heartbeat interval (offline within 2¼ intervals). */
const PRESENCE_CHECKS_PER_INTERVAL = 4;

/** Before either check: time the server stood still is not the members' silence. */
function excuseStall(watch: StallWatch, context: ServerContext, logger: Logger): void {
  const now = context.clock.now();
  const moved = watch.check(now);
  if (moved === 0) return;
  context.service.presence.excuse(moved, now);
  const seconds = Math.round(Math.abs(moved) / 1000);
  logger.warn(
    moved > 0
      ? `This server did not run for ${seconds} s (its machine asleep or the process ` +
          'stopped): members are not counted silent for that time.'
      : `This server's clock was set back ${seconds} s: members' last beats are moved back too.`,
  );
}

/**
 * Starts the keepalive pinger, the presence check and the stale sweeper; returns what stops them.
 */
export function startTimers(options: TimerOptions, wiring: TimerWiring): () => void {
  const { clock } = wiring.context;
  wiring.keepalive.start();
  // Unset, as the server announces it in `welcome` (server-core.ts): one default.
  const peerTimeoutMs = options.peerTimeoutMs ?? wiring.context.peerTimeoutS * 1000;
  const lead = wiring.leader;
  const intervalMs = wiring.context.heartbeatIntervalS * 1000;
  const presencePeriodMs = Math.max(10, intervalMs / PRESENCE_CHECKS_PER_INTERVAL);
  const watch = new StallWatch(presencePeriodMs, clock.now());
  const sweepMs = options.sweepIntervalMs ?? CLEANUP_INTERVAL.defaultSeconds * 1000;
  const sweeper = clock.setInterval(() => {
    excuseStall(watch, wiring.context, wiring.logger);
    if (lead.held()) sweep(wiring.context, peerTimeoutMs, wiring.logger);
  }, sweepMs);
  const presence = clock.setInterval(() => {
    excuseStall(watch, wiring.context, wiring.logger);
    if (lead.held()) wiring.context.service.presenceTick(clock.now(), intervalMs);
  }, presencePeriodMs);
  const stopApprovals = startApprovalTimer(wiring.context, options, () => lead.held());
  return () => {
    for (const timer of [sweeper, presence]) clock.clearInterval(timer);
    wiring.keepalive.stop();
    stopApprovals();
  };
}
