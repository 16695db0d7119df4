import { Profiler, useRef } from 'react';
import { serverTimeToLocal } from '../../../../shared/status';
import { parseTimestamp } from '../../../../shared/time/timestamp';
import { countCommit, profilingEnabled } from '../../profile';
import type { AppStore } from '../../store/app-store';
import { clockStore, useClock } from '../../store/clock';
import { useStore, useStoreApi } from '../../store/context';
import { sortMemberIds } from './member-order';
import { PeerRow } from './PeerRow';
import { useCutNames } from './use-cut-names';
import { listedOnline } from './presence-text';

const PROFILING = profilingEnabled();

/** The member table's columns: class (shared with PeerRow's cells) and header. */
const COLUMNS = [
  ['col-name', 'Name'],
  ['col-status', 'Status'],
  ['col-nat', 'NAT type'],
  ['col-endpoint', 'Address'],
  ['col-seen', 'Last seen'],
] as const;

/** The member order as one string, so that subscribers re-render only when it changes. */
function orderKey(s: AppStore, now: number): string {
  if (!s.party) return '';
  const { presence } = s.party;
  const online = (peerId: string, lastSeen: string) => {
    const seen = parseTimestamp(lastSeen)?.getTime();
    const at = seen === undefined ? null : serverTimeToLocal(seen, s.status);
    return listedOnline(presence[peerId], at, s.status, now);
  };
  return sortMemberIds(s.party.peers, s.party.host_id, (p) => online(p.peer_id, p.last_seen)).join(
    '\n',
  );
}

/** The columns' headers; the host's table has one for each member's menu, named. */
function TableHead({ amHost }: { amHost: boolean }) {
  return (
    <thead>
      <tr>
        {COLUMNS.map(([className, label]) => (
          <th key={className} scope="col" className={className}>
            {label}
          </th>
        ))}
        {amHost && (
          <th scope="col" className="col-actions">
            <span className="visually-hidden">Actions</span>
          </th>
        )}
      </tr>
    </thead>
  );
}

/**
 * The members, host first, then online, then by name. A peer's heartbeat re-renders its
 * row only; the list re-renders only when the order changes (a join, a leave, a member
 * going stale on a clock tick).
 */
export function PeerList() {
  const api = useStoreApi();
  // Subscribed for its changes only: both selectors run on every render with fresh inputs.
  useClock((now) => orderKey(api.getState(), now));
  const key = useStore((s) => orderKey(s, clockStore.getState().now));
  const ids = key === '' ? [] : key.split('\n');
  const amHost = useStore((s) => s.party !== null && s.party.host_id === s.me?.peer_id);
  const table = useRef<HTMLTableElement>(null);
  // One Tab stop for the table while a name in it is cut: focused, it shows them all whole.
  const cut = useCutNames(table);
  return (
    <table
      ref={table}
      className="peer-table"
      aria-label="Party members"
      data-testid="peer-table"
      tabIndex={cut ? 0 : undefined}
    >
      <TableHead amHost={amHost} />
      <tbody>
        {ids.map((id) =>
          PROFILING ? (
            <Profiler key={id} id={`peer-row:${id}`} onRender={countCommit}>
              <PeerRow peerId={id} />
            </Profiler>
          ) : (
            <PeerRow key={id} peerId={id} />
          ),
        )}
      </tbody>
    </table>
  );
}
