import { useId, useRef } from 'react';
import type { DiscoveredParty } from '../../../../shared/ipc/app-state';
import { useStore } from '../../store/context';
import { CreatePartyForm } from './CreatePartyForm';
import { discoverySource, partiesStayLocal } from '../status-text';
import { playersWords } from '../host/access-text';
import { KeyIcon } from '../common/Icons';
import { Name } from '../common/Name';
import { useCutNames } from '../party/use-cut-names';
import { JoinPolicy } from '../../../../shared/party/settings';
import { isFull } from '../../../../shared/party/summary';

function NearbyWhere({ party }: { party: DiscoveredParty }) {
  return party.where === 'lan' ? (
    <span className="nearby-where" data-testid="nearby-where">
      on your network · {party.address}
      {party.at_address && ' (the address its invite link named)'}
    </span>
  ) : (
    <span className="nearby-where" data-testid="nearby-where">
      on this PC
    </span>
  );
}

/** Browse's mark and word for a party that wants a password (Join then asks for it). */
function NearbyPassword({ party }: { party: DiscoveredParty }) {
  if (party.join_policy !== JoinPolicy.PASSWORD) return null;
  return (
    <span data-testid="nearby-password">
      <KeyIcon />
      password ·{' '}
    </span>
  );
}

/**
 * "2 of 8 players (1 online)", as Browse counts: online only where the host tells it (a LAN
 * host does; discovery.json, for this PC's, does not).
 */
function NearbyCount({ party, fullId }: { party: DiscoveredParty; fullId: string }) {
  return (
    <span data-testid="nearby-count">
      {playersWords(party.peer_count, party.max_peers)}
      {party.online_count !== null && ` (${party.online_count} online)`}
      {isFull(party.peer_count, party.max_peers) && (
        <>
          {' · '}
          <strong id={fullId} data-testid="nearby-full">
            full
          </strong>
        </>
      )}
    </span>
  );
}

interface RowProps {
  party: DiscoveredParty;
  joining: boolean;
  onJoin: () => void;
  /** How many rows share its name and host name (1: none but itself). */
  twins: number;
}

/**
 * A party several PCs on the network announce: either could be a stranger's copy, so it is
 * not joined from here; the row says why a friend's party has no Join button.
 */
function ContestedRow({ party }: { party: DiscoveredParty }) {
  return (
    <li
      className="discovered-party"
      data-testid="discovered-party"
      data-party-id={party.party_id}
      data-contested="true"
    >
      <Name text={party.name} className="discovered-name" />
      <span className="hint" data-testid="contested-hint">
        more than one PC on your network announces this party, so LANrage cannot tell which one
        hosts it · ask the host for an invite link
      </span>
    </li>
  );
}

/**
 * Several rows with this one's name and host name: only the address tells them apart, and a
 * stranger may announce copies of a friend's party (their first-heard order is no proof).
 */
function Twins({ party, count }: { party: DiscoveredParty; count: number }) {
  return (
    <span className="hint is-warning" data-testid="discovered-twins">
      {count} parties called <Name text={party.name} className="name-inline" /> by{' '}
      <Name text={party.host_name} className="name-inline" />: check the address with your host
    </span>
  );
}

function DiscoveredRow({ party, joining, onJoin, twins }: RowProps) {
  const fullId = useId();
  if (party.contested) return <ContestedRow party={party} />;
  // At its limit the host's server refuses anyone new: said here, not only after Join.
  const full = isFull(party.peer_count, party.max_peers);
  return (
    <li
      className="discovered-party"
      data-testid="discovered-party"
      data-party-id={party.party_id}
      data-where={party.where}
    >
      <Name text={party.name} className="discovered-name" />
      <span className="hint">
        hosted by <Name text={party.host_name} className="name-inline" /> ·{' '}
        <NearbyCount party={party} fullId={fullId} /> · <NearbyPassword party={party} />
        <NearbyWhere party={party} />
      </span>
      {twins > 1 && <Twins party={party} count={twins} />}
      <button
        type="button"
        className="button button-small"
        aria-label={`Join ${party.name}`}
        aria-describedby={full ? fullId : undefined}
        disabled={joining || full}
        onClick={onJoin}
      >
        Join
      </button>
    </li>
  );
}

const twinKey = (p: DiscoveredParty): string => JSON.stringify([p.name, p.host_name]);

/** How many joinable rows share each name and host name. */
function countTwins(parties: readonly DiscoveredParty[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of parties) {
    if (!p.contested) counts.set(twinKey(p), (counts.get(twinKey(p)) ?? 0) + 1);
  }
  return counts;
}

/**
 * The rows. A contested row has no control to focus: while its name is cut, the list is one Tab
 * stop that shows it whole (names.css), as the members table does. Mounted with its first row,
 * so that the measuring starts with it.
 */
function NearbyList({ parties }: { parties: readonly DiscoveredParty[] }) {
  const pickNearby = useStore((s) => s.pickNearby);
  const joining = useStore((s) => s.busy.join === true);
  const list = useRef<HTMLUListElement>(null);
  const cut = useCutNames(list, '[data-contested] .name-clamp');
  const twinsOf = countTwins(parties);
  return (
    <ul
      ref={list}
      className="discovered-list"
      aria-live="polite"
      aria-labelledby="discovered-title"
      tabIndex={cut ? 0 : undefined}
      data-testid="discovered-list"
    >
      {parties.map((p) => (
        <DiscoveredRow
          key={p.party_id}
          party={p}
          joining={joining}
          onJoin={() => pickNearby(p)}
          twins={twinsOf.get(twinKey(p)) ?? 1}
        />
      ))}
    </ul>
  );
}

/** Pushed by the app as parties appear and go (mDNS on the LAN, discovery.json here). */
function DiscoveredParties({ source }: { source: string }) {
  const parties = useStore((s) => s.discovered);
  const blocked = useStore((s) => s.status?.lanBlocked === true);

  return (
    <section className="card discovered" aria-labelledby="discovered-title">
      <h2 id="discovered-title" className="section-title">
        Parties nearby
      </h2>
      <p className="hint" data-testid="discovered-source">
        {source}
      </p>
      {blocked && (
        <p className="hint is-warning" data-testid="discovered-blocked" role="status">
          LANrage cannot search your network (a firewall blocks multicast, UDP 5353, or this PC has
          no network): ask the host for an invite link.
        </p>
      )}
      {parties.length === 0 ? (
        <p className="hint">None right now. A party someone hosts nearby shows up by itself.</p>
      ) : (
        <NearbyList parties={parties} />
      )}
    </section>
  );
}

/** Join by invite, or (with a server) go looking in Browse. */
function JoinCard({ canBrowse }: { canBrowse: boolean }) {
  const openDialog = useStore((s) => s.openDialog);
  const showScreen = useStore((s) => s.showScreen);
  return (
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
  );
}

export function Home() {
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
        <JoinCard canBrowse={canBrowse} />
      </div>
      {source !== null && <DiscoveredParties source={source} />}
    </div>
  );
}
