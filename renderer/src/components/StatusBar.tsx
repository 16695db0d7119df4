import { useStore } from '../store/context';
import { useClock } from '../store/clock';
import { parseTimestamp } from '../../../shared/model';
import { confirmedAt, heartbeatHealth, statusText } from './status-text';

const HEALTH_LABEL = {
  idle: 'Not in a party',
  healthy: 'Heartbeat healthy',
  late: 'Heartbeat late',
  offline: 'Offline',
} as const;

function HeartbeatDot() {
  const status = useStore((s) => s.status);
  const inParty = useStore((s) => s.party !== null);
  const myLastSeen = useStore((s) => (s.me && s.party?.peers[s.me.peer_id]?.last_seen) ?? null);
  const mine = myLastSeen === null ? null : (parseTimestamp(myLastSeen)?.getTime() ?? null);
  const confirmed = confirmedAt(status, mine);
  const health = useClock((now) => heartbeatHealth(status, inParty, confirmed, now));
  const ageSeconds = useClock((now) =>
    confirmed === null ? null : Math.max(0, Math.round((now - confirmed) / 1000)),
  );
  const rtt = status?.lastHeartbeatRttMs;
  const details =
    inParty && ageSeconds !== null
      ? `, last heartbeat ${ageSeconds} s ago${rtt == null ? '' : `, round trip ${Math.round(rtt)} ms`}`
      : '';
  const label = HEALTH_LABEL[health] + details;
  return (
    <span
      className={`heartbeat-dot heartbeat-${health}`}
      data-health={health}
      title={label}
      role="img"
      aria-label={label}
    />
  );
}

export function StatusBar() {
  const status = useStore((s) => s.status);
  const bridgeUp = useStore((s) => s.bridgeUp);
  const state = status?.state ?? 'connecting';
  return (
    <footer
      className={`status-bar status-${state}`}
      data-testid="status-bar"
      data-state={state}
      role="status"
    >
      <HeartbeatDot />
      <span className="status-text">{statusText(status)}</span>
      {!bridgeUp && <span className="status-warning">Lost contact with the app, retrying…</span>}
    </footer>
  );
}
