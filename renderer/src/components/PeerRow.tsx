import { memo } from 'react';
import { parseTimestamp } from '../../../shared/model';
import { useClock } from '../store/clock';
import { useStore } from '../store/context';
import { LastSeen } from './LastSeen';

const DEFAULT_HEARTBEAT_MS = 30_000;

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** One peer. Selects only its own peer, so another peer's update does not re-render it. */
export const PeerRow = memo(function PeerRow({ peerId }: { peerId: string }) {
  const peer = useStore((s) => s.party?.peers[peerId]);
  const isHost = useStore((s) => s.party?.host_id === peerId);
  const isMe = useStore((s) => s.me?.peer_id === peerId);
  const staleAfterMs = useStore((s) => (s.status?.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS) * 2);
  const lastSeen = peer ? (parseTimestamp(peer.last_seen)?.getTime() ?? null) : null;
  const stale = useClock((now) => lastSeen !== null && now - lastSeen > staleAfterMs);
  if (!peer) return null;
  return (
    <li
      className={`peer-row${stale ? ' is-stale' : ''}${isMe ? ' is-me' : ''}`}
      data-testid="peer-row"
      data-peer-id={peerId}
      data-stale={String(stale)}
    >
      <span
        className={`presence ${stale ? 'presence-stale' : 'presence-online'}`}
        title={stale ? 'Stale' : 'Online'}
        aria-hidden="true"
      />
      <span className="peer-main">
        <span className="peer-name" data-testid="peer-name">
          {peer.name}
        </span>
        {isHost && (
          <span className="badge badge-host" data-testid="host-badge">
            Host
          </span>
        )}
        {isMe && (
          <span className="badge badge-me" data-testid="me-badge">
            You
          </span>
        )}
      </span>
      <span className="peer-detail" title="NAT type">
        {peer.nat_type.replace(/_/g, ' ')}
      </span>
      <span className="peer-detail mono" title="Public endpoint">
        {endpoint(peer.public_ip, peer.public_port)}
      </span>
      <span className="peer-seen">
        <span className="peer-state">{stale ? 'stale' : 'online'}</span> ·{' '}
        <LastSeen at={lastSeen} />
      </span>
    </li>
  );
});
