import { memo } from 'react';
import { parseTimestamp } from '../../../shared/model';
import type { ConnectionStatus } from '../../../shared/status';
import { useClock } from '../store/clock';
import { useStore } from '../store/context';
import { LastSeen } from './LastSeen';

const DEFAULT_HEARTBEAT_MS = 30_000;

/** A member silent for two heartbeat intervals is shown stale. */
export function staleAfterMs(status: ConnectionStatus | null): number {
  return (status?.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS) * 2;
}

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Online or stale by shape and word, not by colour alone (also in forced colours). */
function Presence({ stale }: { stale: boolean }) {
  return (
    <span className={`presence ${stale ? 'presence-stale' : 'presence-online'}`}>
      <span className="presence-mark" aria-hidden="true">
        {stale ? '◌' : '●'}
      </span>
      <span className="peer-state">{stale ? 'stale' : 'online'}</span>
    </span>
  );
}

/** One member. Selects only its own peer, so another member's update does not re-render it. */
export const PeerRow = memo(function PeerRow({ peerId }: { peerId: string }) {
  const peer = useStore((s) => s.party?.peers[peerId]);
  const isHost = useStore((s) => s.party?.host_id === peerId);
  const isMe = useStore((s) => s.me?.peer_id === peerId);
  const staleAfter = useStore((s) => staleAfterMs(s.status));
  const lastSeen = peer ? (parseTimestamp(peer.last_seen)?.getTime() ?? null) : null;
  const stale = useClock((now) => lastSeen !== null && now - lastSeen > staleAfter);
  if (!peer) return null;
  return (
    <tr
      className={`peer-row${stale ? ' is-stale' : ''}${isMe ? ' is-me' : ''}`}
      data-testid="peer-row"
      data-peer-id={peerId}
      data-stale={String(stale)}
    >
      <th scope="row" className="col-name">
        <span className="peer-main">
          {/* Focusable so the whole of a long name shows by keyboard too (see .peer-name:focus). */}
          <span className="peer-name" data-testid="peer-name" title={peer.name} tabIndex={0}>
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
      </th>
      <td className="col-status">
        <Presence stale={stale} />
      </td>
      <td className="col-nat">{peer.nat_type.replace(/_/g, ' ')}</td>
      <td className="col-endpoint mono">{endpoint(peer.public_ip, peer.public_port)}</td>
      <td className="col-seen">
        <LastSeen at={lastSeen} />
      </td>
    </tr>
  );
});
