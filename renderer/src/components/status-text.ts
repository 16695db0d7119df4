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

/** When the last heartbeat was confirmed: the server's ack or my own row's last_seen, whichever is newer. */
export function confirmedAt(
  status: ConnectionStatus | null,
  myLastSeen: number | null,
): number | null {
  const ack = status?.lastHeartbeatAt ?? null;
  if (ack === null) return myLastSeen;
  return myLastSeen === null ? ack : Math.max(ack, myLastSeen);
}

/** The tray-like dot: healthy while the last confirmed heartbeat is younger than two intervals. */
export function heartbeatHealth(
  status: ConnectionStatus | null,
  inParty: boolean,
  confirmed: number | null,
  now: number,
): HeartbeatHealth {
  if (!status || status.state === 'offline') return HeartbeatHealth.OFFLINE;
  if (!inParty) return HeartbeatHealth.IDLE;
  if (status.state === 'reconnecting' || status.state === 'connecting') return HeartbeatHealth.LATE;
  if (confirmed === null) return HeartbeatHealth.LATE;
  return now - confirmed <= status.heartbeatIntervalMs * 2
    ? HeartbeatHealth.HEALTHY
    : HeartbeatHealth.LATE;
}
