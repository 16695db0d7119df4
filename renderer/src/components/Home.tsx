import type { DiscoveredParty } from '../../../shared/app-state';
import { useStore } from '../store/context';
import { CreatePartyForm } from './CreatePartyForm';
import { discoverySource, partiesStayLocal } from './status-text';

function NearbyWhere({ party }: { party: DiscoveredParty }) {
  return party.where === 'lan' ? (
    <span className="nearby-where" data-testid="nearby-where">
      on your network · {party.address}
    </span>
  ) : (
    <span className="nearby-where" data-testid="nearby-where">
      on this PC
    </span>
  );
}

/** Pushed by the app as parties appear and go (mDNS on the LAN, discovery.json here). */
function DiscoveredParties({ source }: { source: string }) {
  const parties = useStore((s) => s.discovered);
  const pickNearby = useStore((s) => s.pickNearby);
  const joining = useStore((s) => s.busy.join === true);

  return (
    <section className="card discovered" aria-labelledby="discovered-title">
      <h2 id="discovered-title" className="section-title">
        Parties nearby
      </h2>
      <p className="hint" data-testid="discovered-source">
        {source}
      </p>
      {parties.length === 0 ? (
        <p className="hint">None right now. A party someone hosts nearby shows up by itself.</p>
      ) : (
        <ul className="discovered-list" aria-live="polite">
          {parties.map((p) => (
            <li
              key={p.party_id}
              className="discovered-party"
              data-testid="discovered-party"
              data-party-id={p.party_id}
              data-where={p.where}
            >
              <span className="discovered-name">{p.name}</span>
              <span className="hint">
                hosted by {p.host_name} · {p.peer_count} {p.peer_count === 1 ? 'player' : 'players'}{' '}
                · <NearbyWhere party={p} />
              </span>
              <button
                type="button"
                className="button button-small"
                aria-label={`Join ${p.name}`}
                disabled={joining}
                onClick={() => pickNearby(p)}
              >
                Join
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Home() {
  const openDialog = useStore((s) => s.openDialog);
  const showScreen = useStore((s) => s.showScreen);
  const source = useStore((s) => discoverySource(s.status));
  // Public parties live on a control server; without one there is nothing to browse.
  const canBrowse = useStore((s) => !partiesStayLocal(s.status));
  return (
    <div className="home">
      <h1 className="view-title" tabIndex={-1}>
        Host or join a party
      </h1>
      <div className="home-actions">
        <CreatePartyForm />
        <div className="card join-card">
          <h2 className="section-title">Join a friend</h2>
          <p className="hint">Got an invite? Paste the message, the link or the party ID.</p>
          <button
            type="button"
            className="button button-primary"
            data-testid="open-join-dialog"
            onClick={() => openDialog('join')}
          >
            Join party
          </button>
          {canBrowse && (
            <>
              <p className="hint">Or look for a public party to join.</p>
              <button
                type="button"
                className="button"
                data-testid="open-browse"
                onClick={() => showScreen('browse')}
              >
                Browse public parties
              </button>
            </>
          )}
        </div>
      </div>
      {source !== null && <DiscoveredParties source={source} />}
    </div>
  );
}
