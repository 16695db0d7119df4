import type { ConnectionStatus } from '../../../shared/status';

/** The status bar's sentence for a connection status. */
export function statusText(status: ConnectionStatus | null): string {
  if (!status) return 'Starting…';
  const server = status.serverUrl ?? 'the control server';
  switch (status.state) {
    case 'local':
      return 'Local mode';
    case 'connecting':
      return `Connecting to ${server}…`;
    case 'connected':
      return `Connected to ${server}`;
    case 'reconnecting':
      return `Reconnecting to ${server} (attempt ${status.reconnectAttempt} of ${status.maxReconnectAttempts})`;
    case 'offline':
      return 'Offline, local fallback';
  }
}

export const HeartbeatHealth = {
  IDLE: 'idle',
  HEALTHY: 'healthy',
  LATE: 'late',
  OFFLINE: 'offline',
} as const;
export type HeartbeatHealth = (typeof HeartbeatHealth)[keyof typeof HeartbeatHealth];

/** The tray-like dot: healthy while the last heartbeat is younger than two intervals. */
export function heartbeatHealth(
  status: ConnectionStatus | null,
  inParty: boolean,
  now: number,
): HeartbeatHealth {
  if (!status || status.state === 'offline') return HeartbeatHealth.OFFLINE;
  if (!inParty) return HeartbeatHealth.IDLE;
  if (status.state === 'reconnecting' || status.state === 'connecting') return HeartbeatHealth.LATE;
  const last = status.lastHeartbeatAt;
  if (last === null) return HeartbeatHealth.LATE;
  return now - last <= status.heartbeatIntervalMs * 2
    ? HeartbeatHealth.HEALTHY
    : HeartbeatHealth.LATE;
}
