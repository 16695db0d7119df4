import { useEffect, useRef } from 'react';
import { useStore } from '../../store/context';
import { ErrorAlert } from '../common/Feedback';
import { Name } from '../common/Name';

/** Who the host banned from this party, each with Unban. */
export function BansList() {
  const bans = useStore((s) => s.bans);
  const refresh = useStore((s) => s.listBans);
  const unban = useStore((s) => s.unbanPeer);
  const busy = useStore((s) => s.busy.bans === true);
  const error = useStore((s) => s.errors.bans);
  useEffect(() => void refresh(), [refresh]);
  // Unban disables its button and then removes its row, which drops focus to the page behind
  // the dialog: the list's title takes it, so Tab goes on inside the dialog.
  const title = useRef<HTMLHeadingElement>(null);
  const unbanThenFocus = (peerId: string) => void unban(peerId).then(() => title.current?.focus());
  return (
    <section className="bans" aria-labelledby="bans-title" data-testid="bans">
      <h3 id="bans-title" className="section-title" ref={title} tabIndex={-1}>
        Banned players
      </h3>
      <ErrorAlert message={error} />
      {bans.length === 0 ? (
        <p className="hint">No one is banned.</p>
      ) : (
        <ul className="ban-list">
          {bans.map((ban) => (
            <li key={ban.peer_id} className="ban-item" data-testid="ban-item">
              <Name text={ban.name} className="ban-name" />
              <button
                type="button"
                className="button button-small"
                data-testid="unban"
                aria-label={`Unban ${ban.name}`}
                disabled={busy}
                onClick={() => unbanThenFocus(ban.peer_id)}
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
