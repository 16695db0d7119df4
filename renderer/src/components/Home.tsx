import { useState, type FormEvent } from 'react';
import type { DiscoveredParty } from '../../../shared/ipc';
import { useStore } from '../store/context';
import { ErrorAlert } from './Feedback';
import { discoverySource, LOCAL_REACH, partiesStayLocal } from './status-text';

function CreateParty() {
  const [name, setName] = useState('');
  const [handOver, setHandOver] = useState(true);
  const busy = useStore((s) => s.busy.create === true);
  const error = useStore((s) => s.errors.create);
  const createParty = useStore((s) => s.createParty);
  const local = useStore((s) => partiesStayLocal(s.status));
  function submit(event: FormEvent) {
    event.preventDefault();
    void createParty(name.trim() || 'Gaming Night', handOver);
  }
  return (
    <form className="card create-party" onSubmit={submit} aria-labelledby="create-title">
      <h2 id="create-title" className="section-title">
        Host a party
      </h2>
      <label className="field">
        <span className="label">Party name</span>
        <input
          data-testid="create-party-name"
          value={name}
          placeholder="Gaming Night"
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="choice">
        <input
          type="checkbox"
          data-testid="create-party-hand-over"
          checked={handOver}
          onChange={(e) => setHandOver(e.target.checked)}
        />
        <span>If I leave or drop out, hand the party to the longest-present member</span>
      </label>
      {local && (
        <p className="hint" data-testid="create-reach">
          Without a server, only {LOCAL_REACH} can join a party you host.
        </p>
      )}
      <ErrorAlert message={error} />
      <button
        type="submit"
        className="button button-primary"
        data-testid="create-party-button"
        disabled={busy}
      >
        {busy ? 'Creating…' : 'Create party'}
      </button>
    </form>
  );
}

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
  const source = useStore((s) => discoverySource(s.status));
  return (
    <div className="home">
      <h1 className="view-title" tabIndex={-1}>
        Host or join a party
      </h1>
      <div className="home-actions">
        <CreateParty />
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
        </div>
      </div>
      {source !== null && <DiscoveredParties source={source} />}
    </div>
  );
}
