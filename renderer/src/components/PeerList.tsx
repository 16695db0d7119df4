import { Profiler } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store/context';
import { countCommit, profilingEnabled } from '../profile';
import { PeerRow } from './PeerRow';

const PROFILING = profilingEnabled();

/** The peer ids, host first; compared shallowly so a peer's update does not re-render the list. */
export function PeerList() {
  const ids = useStore(
    useShallow((s) => {
      if (!s.party) return [];
      const host = s.party.host_id;
      const rest = Object.keys(s.party.peers).filter((id) => id !== host);
      return host in s.party.peers ? [host, ...rest] : rest;
    }),
  );
  return (
    <ul className="peer-list" aria-label="Peers">
      {ids.map((id) =>
        PROFILING ? (
          <Profiler key={id} id={`peer-row:${id}`} onRender={countCommit}>
            <PeerRow peerId={id} />
          </Profiler>
        ) : (
          <PeerRow key={id} peerId={id} />
        ),
      )}
    </ul>
  );
}
