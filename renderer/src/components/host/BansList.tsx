import { useEffect } from 'react';
import { useStore } from '../../store/context';
import { ErrorAlert } from '../common/Feedback';

/** Who the host banned from this party, each with Unban. */
export function BansList() {
  const bans = useStore((s) => s.bans);
  const refresh = useStore((s) => s.listBans);
  const unban = useStore((s) => s.unbanPeer);
  const busy = useStore((s) => s.busy.bans === true);
  const error = useStore((s) => s.errors.bans);
  useEffect(() => void refresh(), [refresh]);
  return (
    <section className="bans" aria-labelledby="bans-title" data-testid="bans">
      <h3 id="bans-title" className="section-title">
        Banned players
      </h3>
      <ErrorAlert message={error} />
      {bans.length === 0 ? (
        <p className="hint">No one is banned.</p>
      ) : (
        <ul className="ban-list">
          {bans.map((ban) => (
            <li key={ban.peer_id} className="ban-item" data-testid="ban-item">
              <span className="ban-name">{ban.name}</span>
              <button
                type="button"
                className="button button-small"
                data-testid="unban"
                aria-label={`Unban ${ban.name}`}
                disabled={busy}
                onClick={() => void unban(ban.peer_id)}
              >
                Unban
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
