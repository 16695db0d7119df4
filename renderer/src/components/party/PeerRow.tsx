import { memo } from 'react';
import { lastConfirmedAt, serverTimeToLocal } from '../../../../shared/status';
import { parseTimestamp } from '../../../../shared/time/timestamp';
import { useClock } from '../../store/clock';
import { useStore } from '../../store/context';
import { LastSeen } from './LastSeen';
import { MEMBERS_TITLE_ID, MemberMenu } from './MemberMenu';
import { rescueFocusTo } from '../common/focus-rescue';
import { Name } from '../common/Name';
import {
  offlineText,
  pingText,
  PRESENCE_LABEL,
  PRESENCE_MARK,
  rowPresence,
  shownLastSeen,
  type RowPresence,
} from './presence-text';

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

const epoch = (iso: string | undefined): number | null =>
  iso === undefined ? null : (parseTimestamp(iso)?.getTime() ?? null);

/**
 * Online, offline, asleep or unknown by shape and word, not by colour alone (also in forced
 * colours).
 */
function Presence({
  state,
  text,
  ping,
}: {
  state: RowPresence;
  text: string;
  ping: string | null;
}) {
  return (
    <span className={`presence presence-${state}`}>
      <span className="presence-mark" aria-hidden="true">
        {PRESENCE_MARK[state]}
      </span>
      <span className="peer-state" data-testid="peer-state">
        {text}
      </span>
      {ping && (
        <span className="peer-ping" data-testid="peer-ping" title="Round trip to the server">
          · {ping}
        </span>
      )}
    </span>
  );
}

/** How one member's row shows their presence: the state, its words and the ping, by the clock. */
function useRowPresence(peerId: string, isMe: boolean) {
  const peer = useStore((s) => s.party?.peers[peerId]);
  const presence = useStore((s) => s.party?.presence[peerId]);
  const status = useStore((s) => s.status);
  const seen = epoch(presence?.last_seen ?? peer?.last_seen);
  // The server dates it: read on this PC's clock, which may be minutes off.
  const changedAt = seen === null ? null : serverTimeToLocal(seen, status);
  const mine = useStore((s) => (s.me && s.party?.peers[s.me.peer_id]?.last_seen) ?? undefined);
  const myConfirmedAt = lastConfirmedAt(status, epoch(mine));
  const inputs = { status, presence, lastSeen: changedAt, isMe, myConfirmedAt };
  const state = useClock((now) => rowPresence(inputs, now));
  const lastSeen = shownLastSeen(state, inputs);
  const away = state === 'offline' || state === 'asleep' ? state : null;
  const offline = useClock((now) =>
    away && status ? offlineText(lastSeen, now, status.peerTimeoutMs, away) : null,
  );
  const ping =
    state === 'online' ? pingText(isMe ? status?.lastHeartbeatRttMs : presence?.rtt_ms) : null;
  return { state, lastSeen, text: offline ?? PRESENCE_LABEL[state], ping };
}

/**
 * The name (two lines at most, see Name), and whether this is the host and whether it is me.
 * No Tab stop per member to show a cut name: the row's own menu, or the table, has the focus
 * that shows it whole.
 */
function NameCell({ name, isHost, isMe }: { name: string; isHost: boolean; isMe: boolean }) {
  return (
    <th scope="row" className="col-name">
      <span className="peer-main">
        <Name text={name} className="peer-name" testId="peer-name" />
        {isHost && (
          <span className="badge badge-host" data-testid="host-badge" title="Party host">
            ★ Host
          </span>
        )}
        {isMe && (
          <span className="badge badge-me" data-testid="me-badge">
            You
          </span>
        )}
      </span>
    </th>
  );
}

/** A member's row going (kicked, banned, left) with focus in its menu: to the members' title. */
const rescueFocus = rescueFocusTo(MEMBERS_TITLE_ID);

/**
 * NAT type and address on a line of their own under the member, across the whole table: a
 * narrow (or zoomed-in) window hides their columns, and a member's address must stay readable
 * (it is what a gamer types into a LAN game). Not rendered otherwise (display: none), so a
 * screen reader never hears them twice.
 */
function NetRow({ nat, address, columns, isMe }: NetRowProps) {
  return (
    <tr className={`peer-net-row${isMe ? ' is-me' : ''}`} data-testid="peer-net-row">
      <td className="peer-net" colSpan={columns}>
        NAT type {nat} · address <span className="mono">{address}</span>
      </td>
    </tr>
  );
}

interface NetRowProps {
  nat: string;
  address: string;
  columns: number;
  isMe: boolean;
}

/** One member. Selects only its own peer, so another member's update does not re-render it. */
export const PeerRow = memo(function PeerRow({ peerId }: { peerId: string }) {
  const peer = useStore((s) => s.party?.peers[peerId]);
  const isHost = useStore((s) => s.party?.host_id === peerId);
  const isMe = useStore((s) => s.me?.peer_id === peerId);
  const amHost = useStore((s) => s.party !== null && s.party.host_id === s.me?.peer_id);
  const { state, lastSeen, text, ping } = useRowPresence(peerId, isMe);
  if (!peer) return null;
  const nat = peer.nat_type.replace(/_/g, ' ');
  const address = endpoint(peer.public_ip, peer.public_port);
  return (
    <>
      <tr
        ref={rescueFocus}
        className={`peer-row presence-row-${state}${isMe ? ' is-me' : ''}`}
        data-testid="peer-row"
        data-peer-id={peerId}
        data-presence={state}
        data-stale={String(state !== 'online')}
      >
        <NameCell name={peer.name} isHost={isHost} isMe={isMe} />
        <td className="col-status">
          <Presence state={state} text={text} ping={ping} />
        </td>
        <td className="col-nat">{nat}</td>
        <td className="col-endpoint mono">{address}</td>
        <td className="col-seen">
          <LastSeen at={lastSeen} online={state === 'online'} />
        </td>
        {amHost && (
          <td className="col-actions">
            {!isMe && <MemberMenu peerId={peerId} name={peer.name} />}
          </td>
        )}
      </tr>
      {/* Shown only while NAT type and address are hidden: across the columns left. A wider
          span makes columns of its own in a fixed table layout, and squeezes the names. */}
      <NetRow nat={nat} address={address} columns={amHost ? 4 : 3} isMe={isMe} />
    </>
  );
});
